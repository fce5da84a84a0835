import type { CheckStatus } from "#db/checks/types";
import { CheckTitle } from "~/components/check-title";
import type { CheckSummary } from "#db/checks/summary";
import type { CheckSummaryResult } from "~/utils/page-snapshots.server";
import { cx } from "~/components/classes";

const STATUS: Record<CheckStatus, { label: string; chip: string; dot: string }> = {
  pass: { label: "Pass", chip: "bg-emerald-50 text-emerald-800 ring-emerald-200", dot: "bg-emerald-500" },
  warn: { label: "Warn", chip: "bg-amber-50 text-amber-800 ring-amber-200", dot: "bg-amber-500" },
  fail: { label: "Fail", chip: "bg-red-50 text-red-800 ring-red-200", dot: "bg-red-500" },
  error: { label: "Error", chip: "bg-fuchsia-50 text-fuchsia-800 ring-fuchsia-200", dot: "bg-fuchsia-500" },
};
const ORDER: CheckStatus[] = ["pass", "warn", "fail", "error"];

function StatusCounts({ counts }: { counts: Record<CheckStatus, number> }) {
  return (
    <ul className="grid grid-cols-4 gap-2" aria-label="Checks by status">
      {ORDER.map((status) => (
        <li
          key={status}
          aria-label={`${STATUS[status].label}: ${counts[status]}`}
          className={cx(
            "rounded-md px-3 py-2 ring-1 ring-inset",
            counts[status] > 0 || status === "pass" ? STATUS[status].chip : "bg-slate-50 text-slate-600 ring-slate-200",
          )}
        >
          <p className="flex items-center gap-1.5 text-[11px] font-semibold tracking-wide uppercase">
            <span
              className={`size-1.5 rounded-full ${counts[status] > 0 ? STATUS[status].dot : "bg-slate-300"}`}
              aria-hidden="true"
            />
            {STATUS[status].label}
          </p>
          <p className="mt-0.5 text-xl font-semibold tabular-nums">{counts[status]}</p>
        </li>
      ))}
    </ul>
  );
}

function CategoryTable({ summary }: { summary: CheckSummary }) {
  return (
    <table className="w-full text-left text-[13px]">
      <caption className="sr-only">Checks by category and status</caption>
      <thead>
        <tr className="border-b border-slate-200 text-[11px] tracking-wide text-slate-500 uppercase">
          <th scope="col" className="py-1.5 pr-2 font-medium">
            Category
          </th>
          {ORDER.map((s) => (
            <th key={s} scope="col" className="w-14 py-1.5 text-right font-medium">
              {STATUS[s].label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {summary.byCategory.map(({ category, counts }) => (
          <tr key={category} className="border-b border-slate-100 last:border-0">
            <th scope="row" className="py-1.5 pr-2 font-medium text-slate-700 capitalize">
              {category}
            </th>
            {ORDER.map((s) => (
              <td
                key={s}
                className={
                  `py-1.5 text-right tabular-nums ` +
                  `${counts[s] > 0 && s !== "pass" ? "font-semibold text-slate-900" : "text-slate-500"}`
                }
              >
                {counts[s]}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AttentionList({ summary }: { summary: CheckSummary }) {
  if (summary.attention.length === 0) {
    return <p className="text-[13px] text-slate-600">Every check passes. Nothing needs attention.</p>;
  }
  return (
    <ul className="divide-y divide-slate-100" aria-label="Checks that need attention">
      {summary.attention.map((check) => (
        <li key={check.id} className="py-2">
          <div className="flex items-start gap-2">
            <span
              className={
                `mt-0.5 rounded px-1.5 py-0.5 text-[10px] font-semibold uppercase ring-1 ring-inset ` +
                `${STATUS[check.status].chip}`
              }
            >
              {STATUS[check.status].label}
            </span>
            <div className="min-w-0">
              <CheckTitle title={check.title} offendingCount={check.offendingCount} />
              <p className="mt-0.5 text-xs text-slate-500">{check.message ?? check.fixHint}</p>
              <p className="mt-0.5 font-mono text-[11px] text-slate-500">
                {check.id} · {check.severity}
              </p>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function CheckSummaryPanel({ result }: { result: CheckSummaryResult }) {
  if (!result.ok) {
    return (
      <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900">
        {result.message}
      </p>
    );
  }
  const problems = result.total - result.counts.pass;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className={`text-[13px] font-medium ${result.passed ? "text-emerald-700" : "text-red-700"}`}>
          {result.passed ? "Go: no error-severity check fails." : "No-go: at least one error-severity check fails."}{" "}
          <span className="font-normal text-slate-500">
            {result.counts.pass} of {result.total} pass
            {problems > 0 ? `, ${problems} need${problems === 1 ? "s" : ""} a look` : ""}.
          </span>
        </p>
        <p className="text-xs text-slate-500">
          ran at <time dateTime={result.checkedAt}>{result.checkedAt.slice(11, 19)} UTC</time> in{" "}
          {Math.round(result.durationMs)} ms
        </p>
      </div>
      <StatusCounts counts={result.counts} />
      <div className="grid gap-6 lg:grid-cols-2">
        <div>
          <h3 className="mb-1 text-xs font-semibold text-slate-700">By category</h3>
          <CategoryTable summary={result} />
        </div>
        <div>
          <h3 className="mb-1 text-xs font-semibold text-slate-700">Needs attention</h3>
          <AttentionList summary={result} />
        </div>
      </div>
    </div>
  );
}
