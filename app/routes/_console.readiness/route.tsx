import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LiveRefresh } from "~/components/live-refresh";
import { SnapshotStatus } from "~/components/snapshot-status";
import { StatusChip } from "~/components/status-chip";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";
import { readSnapshot, refreshSnapshotsAction, SNAPSHOTS } from "~/utils/page-snapshots.server";
import { topologyView } from "~/utils/topology.server";
import { TopologyPanel } from "~/components/topology-panel";
import { cx, focusRing } from "~/components/classes";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
import { plural } from "~/utils/plural";

export const meta: MetaFunction = () => [{ title: "Go/no-go · Symbol Desk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  return withDb(async (conn) => {
    // The board runs every check and times the critical queries (seconds at 100k symbols): a stored snapshot.
    const { value: report, ...snapshot } = await readSnapshot(conn, SNAPSHOTS.readiness);
    return { ...report, snapshot, readAt: new Date().toISOString(), topology: await topologyView(conn) };
  });
}

export function action({ request }: ActionFunctionArgs) {
  return refreshSnapshotsAction(request, [SNAPSHOTS.readiness]);
}

const VERDICT = {
  pass: { tone: "pass", word: "met" },
  fail: { tone: "fail", word: "not met" },
  unknown: { tone: "neutral", word: "unverified" },
} as const;

const LINKS: Record<string, string> = {
  defaults: "/quality?category=defaults",
  active: "/quality?category=defaults",
  orphans: "/quality?category=preferences",
  "index-hit-ratio": "/performance/indexes",
  "migration-time": "/migrations",
  "rollback-time": "/migrations",
  checks: "/quality?status=problems",
  queries: "/migrations",
};

export default function ReadinessPage() {
  const r = useLoaderData<typeof loader>();
  const go = r.decision === "go";
  const met = r.criteria.filter((c) => c.verdict === "pass").length;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Go/no-go"
        description={<>The seed's success criteria and rollback triggers, measured on {r.engineLabel}.</>}
      >
        <div className="ml-auto flex flex-col items-end gap-2">
          <SnapshotStatus snapshot={r.snapshot} what="go/no-go board" />
          <LiveRefresh readAt={r.readAt} intervalSeconds={20} />
        </div>
      </PageHeader>

      <section
        aria-labelledby="decision-title"
        className={
          `flex flex-wrap items-center gap-4 rounded-lg border p-5 ` +
          `${go ? "border-emerald-300 bg-emerald-50" : "border-red-300 bg-red-50"}`
        }
      >
        <p
          id="decision-title"
          className={`text-3xl font-bold tracking-tight ${go ? "text-emerald-700" : "text-red-700"}`}
        >
          {go ? "GO" : "NO-GO"}
        </p>
        <div className="text-[13px] text-slate-700">
          <p className="font-medium">
            {met} of {r.criteria.length} criteria met
            {r.triggers.length
              ? `, ${plural(r.triggers.length, "rollback trigger")} firing`
              : ", no rollback trigger firing"}
            .
          </p>
          {r.unverified > 0 ? (
            <p className="text-slate-600">
              {plural(r.unverified, "criterion", "criteria")} cannot be verified here (see below); they do not block the
              decision.
            </p>
          ) : null}
        </div>
      </section>

      {r.triggers.length > 0 ? (
        <section aria-labelledby="triggers-title" className="rounded-lg border border-red-200 bg-white p-4 shadow-xs">
          <h2 id="triggers-title" className="text-sm font-semibold text-red-800">
            Rollback triggers firing
          </h2>
          <p className="mt-0.5 text-xs text-slate-500">
            The seed says: roll back immediately if default symbols ≠ 9, a query is consistently over 10 ms, integrity
            issues or orphaned records are found.
          </p>
          <ul className="mt-2 space-y-1.5">
            {r.triggers.map((t) => (
              <li key={t.id} className="text-[13px]">
                <span className="font-semibold text-red-800">{t.title}</span>{" "}
                <span className="text-slate-600">— {t.detail}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="criteria-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <h2 id="criteria-title" className="text-sm font-semibold text-slate-900">
          Success criteria
        </h2>
        <table className="mt-2 w-full text-left text-[13px]">
          <thead className="border-b border-slate-200 text-[10px] tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="py-1.5 pr-2 font-medium">
                Metric
              </th>
              <th scope="col" className="px-2 font-medium">
                Target
              </th>
              <th scope="col" className="px-2 font-medium">
                Now
              </th>
              <th scope="col" className="px-2 font-medium">
                Verdict
              </th>
            </tr>
          </thead>
          <tbody>
            {r.criteria.map((c) => (
              <tr
                key={c.id}
                className="border-b border-slate-100 align-top"
                aria-label={`${c.label}: ${VERDICT[c.verdict].word}`}
              >
                <th scope="row" className="py-2 pr-2 font-medium text-slate-800">
                  {LINKS[c.id] || c.id.startsWith("query.") ? (
                    <Link
                      to={LINKS[c.id] ?? "/performance"}
                      className={cx("hover:text-indigo-700 hover:underline", focusRing)}
                    >
                      {c.label}
                    </Link>
                  ) : (
                    c.label
                  )}
                  {c.detail ? <span className="block text-xs font-normal text-slate-500">{c.detail}</span> : null}
                </th>
                <td className="px-2 py-2 whitespace-nowrap text-slate-600 tabular-nums">{c.target}</td>
                <td
                  className={cx(
                    "px-2 py-2 font-semibold whitespace-nowrap tabular-nums",
                    c.verdict === "fail" ? "text-red-700" : c.verdict === "pass" ? "text-slate-900" : "text-slate-500",
                  )}
                >
                  {c.actual}
                </td>
                <td className="px-2 py-2">
                  <StatusChip tone={VERDICT[c.verdict].tone}>{VERDICT[c.verdict].word}</StatusChip>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <TopologyPanel topology={r.topology} />
    </div>
  );
}
