import type { PlanBadge, PlanNodeView } from "#db/performance/plan";
import { ms } from "~/components/status-chip";

// The plan as an indented table: one row per node, outermost first, with what the planner
// expected against what happened, and the badges that say where to look.

const BADGES: Record<PlanBadge, { label: string; style: string; hint: string }> = {
  "seq-scan-large": {
    label: "Seq scan on large table",
    style: "bg-red-50 text-red-800 ring-red-200",
    hint: "reads the whole table; an index should serve this",
  },
  misestimate: {
    label: "Misestimate ≥10×",
    style: "bg-amber-50 text-amber-800 ring-amber-200",
    hint: "estimated and actual rows are at least 10 times apart: run ANALYZE",
  },
  "sort-spilled": {
    label: "Sort spilled to disk",
    style: "bg-red-50 text-red-800 ring-red-200",
    hint: "the sort did not fit in work_mem",
  },
  slowest: {
    label: "Slowest node",
    style: "bg-indigo-50 text-indigo-800 ring-indigo-200",
    hint: "most time spent here, children excluded",
  },
};

function flatten(node: PlanNodeView, depth = 0): { node: PlanNodeView; depth: number }[] {
  return [{ node, depth }, ...node.children.flatMap((child) => flatten(child, depth + 1))];
}

export function PlanTree({
  root,
  caption,
  highlight,
}: {
  root: PlanNodeView;
  caption: string;
  highlight?: Set<string>;
}) {
  const rows = flatten(root);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-[10px] tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="py-1.5 pr-2 font-medium">
              Node
            </th>
            <th scope="col" className="px-2 text-right font-medium">
              Rows est.
            </th>
            <th scope="col" className="px-2 text-right font-medium">
              Rows actual
            </th>
            <th scope="col" className="px-2 text-right font-medium">
              Loops
            </th>
            <th scope="col" className="px-2 text-right font-medium">
              Self ms
            </th>
            <th scope="col" className="px-2 text-right font-medium">
              Total ms
            </th>
            <th scope="col" className="px-2 text-right font-medium" title="shared blocks hit / read">
              Buffers hit / read
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ node, depth }) => (
            <tr
              key={node.path}
              className={`border-b border-slate-100 align-top ${highlight?.has(node.path) ? "bg-amber-50" : ""}`}
            >
              <th scope="row" className="py-1.5 pr-2 font-normal" style={{ paddingLeft: `${depth * 16}px` }}>
                <span className="text-slate-500" aria-hidden="true">
                  {depth > 0 ? "└ " : ""}
                </span>
                <span className="font-semibold text-slate-900">{node.nodeType}</span>
                {node.joinType ? <span className="text-slate-500"> ({node.joinType})</span> : null}
                {node.index ? (
                  <span className="text-slate-700">
                    {" "}
                    using <code className="font-mono text-[11px] text-indigo-700">{node.index}</code>
                  </span>
                ) : null}
                {node.relation ? (
                  <span className="text-slate-700">
                    {" "}
                    on <code className="font-mono text-[11px]">{node.relation}</code>
                    {node.alias && node.alias !== node.relation ? ` ${node.alias}` : ""}
                  </span>
                ) : null}
                {node.sortMethod ? (
                  <span className="text-slate-500">
                    {" "}
                    · sort: {node.sortMethod} ({node.sortSpace})
                  </span>
                ) : null}
                {node.filter ? (
                  <div className="mt-0.5 max-w-xl truncate font-mono text-[10px] text-slate-500" title={node.filter}>
                    {node.filter}
                  </div>
                ) : null}
                {node.badges.length > 0 ? (
                  <div className="mt-1 flex flex-wrap gap-1">
                    {node.badges.map((b) => (
                      <span
                        key={b}
                        title={BADGES[b].hint}
                        className={`rounded px-1.5 py-0.5 text-[10px] font-semibold ring-1 ring-inset ${BADGES[b].style}`}
                      >
                        {BADGES[b].label}
                      </span>
                    ))}
                  </div>
                ) : null}
              </th>
              <td className="px-2 py-1.5 text-right tabular-nums">{node.estimatedRows}</td>
              <td
                className={
                  `px-2 py-1.5 text-right tabular-nums ` +
                  `${node.badges.includes("misestimate") ? "font-semibold text-amber-700" : ""}`
                }
              >
                {node.actualRows}
              </td>
              <td className="px-2 py-1.5 text-right tabular-nums">{node.loops}</td>
              <td
                className={
                  `px-2 py-1.5 text-right tabular-nums ` +
                  `${node.badges.includes("slowest") ? "font-semibold text-indigo-700" : ""}`
                }
              >
                {ms(node.selfMs)}
              </td>
              <td className="px-2 py-1.5 text-right tabular-nums">{ms(node.totalMs)}</td>
              <td className="px-2 py-1.5 text-right tabular-nums">
                {node.sharedHit} / {node.sharedRead}
                {node.tempWritten ? ` · temp ${node.tempWritten}` : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
