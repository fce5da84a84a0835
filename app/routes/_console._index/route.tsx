import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SnapshotStatus } from "~/components/snapshot-status";
import { withDb } from "~/utils/db.server";
import { readSnapshot, refreshSnapshotsAction, SNAPSHOTS } from "~/utils/page-snapshots.server";
import { describeFailure } from "~/utils/panel-data.server";
import { requireStaff } from "~/utils/permissions.server";
import { CheckSummaryPanel } from "./check-summary";
import { FigureTile } from "./figure-tile";
import { describeFigure } from "./figures";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Home · Symbol Desk" }];

// The view counts the whole catalogue and every preference (1.6 s at 100k symbols and 1M
// preferences) and the checks take seconds: both are stored snapshots (page-snapshots.server.ts).
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  return withDb(async (conn) => {
    const [figures, checks] = await Promise.all([
      readSnapshot(conn, SNAPSHOTS.figures),
      readSnapshot(conn, SNAPSHOTS.checks).catch((error: unknown) => ({
        failed: describeFailure(error, "The data-quality checks could not run just now."),
      })),
    ]);
    return {
      engineLabel: conn.engineLabel,
      figures,
      checks: "failed" in checks ? { ...figures, value: { ok: false as const, message: checks.failed } } : checks,
    };
  });
}

export function action({ request }: ActionFunctionArgs) {
  return refreshSnapshotsAction(request, [SNAPSHOTS.figures, SNAPSHOTS.checks]);
}

export default function HomePage() {
  const { engineLabel, checks, ...page } = useLoaderData<typeof loader>();
  const figures = page.figures.value;
  const views = figures.ok ? figures.data.map(describeFigure) : [];
  const attention = views.filter((v) => v.verdict === "attention").length;
  return (
    <div className="space-y-8">
      <PageHeader title="Home" description={<>Health of the symbol catalogue at a glance.</>}>
        <SnapshotStatus snapshot={page.figures} prefix={engineLabel} what="figures and checks" />
      </PageHeader>

      <section aria-labelledby="figures-title">
        <div className="mb-3 flex items-baseline justify-between gap-3">
          <h2 id="figures-title" className="text-sm font-semibold text-slate-900">
            Data quality figures
          </h2>
          <p className="text-xs text-slate-500">
            <code className="font-mono text-[11px]">v_symbol_data_quality</code> ·{" "}
            {!figures.ok
              ? "unavailable"
              : attention === 0
                ? "all figures as expected"
                : `${attention} need${attention === 1 ? "s" : ""} attention`}
          </p>
        </div>
        {!figures.ok && (
          <p
            role="status"
            className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900"
          >
            {figures.message}. Migration 20250108 makes this view: re-apply it on the Migrations page to see the figures
            again. The checks below still run.
          </p>
        )}
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
          {views.map((figure) => (
            <FigureTile key={figure.metric} figure={figure} />
          ))}
        </ul>
      </section>

      <section aria-labelledby="checks-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <div className="mb-3">
          <h2 id="checks-title" className="text-sm font-semibold text-slate-900">
            Data-quality checks
          </h2>
          <p className="text-xs text-slate-500">
            The migration's go/no-go validation, run against the catalogue in the background.
          </p>
        </div>
        <CheckSummaryPanel result={checks.value} />
      </section>
    </div>
  );
}
