import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Await, useLoaderData } from "@remix-run/react";
import { Suspense } from "react";
import { listDataQualityFigures } from "#db/queries/data-quality-figures";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";
import { snapshot } from "~/utils/snapshot.server";
import { CheckSummaryPanel, CheckSummarySkeleton } from "./check-summary";
import { checkSummary } from "./checks.server";
import { FigureTile } from "./figure-tile";
import { describeFigure } from "./figures";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Home · Symbol Desk" }];

const FIGURES_CACHE_MS = 10_000;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  return withDb(async (conn) => {
    // The view counts the whole catalogue and every preference (1.6 s at 100k symbols and 1M
    // preferences): one snapshot serves every visitor for a few seconds, "as of" when it was taken.
    const { figures, measuredAt } = await snapshot(
      "home:figures",
      FIGURES_CACHE_MS,
      async () => ({
        figures: await conn.read(null, (db) => listDataQualityFigures(db)),
        measuredAt: new Date().toISOString(),
      }),
      { serveStale: true },
    );
    // Not awaited: the figures render at once, the check summary streams in when its run ends.
    const checks = checkSummary(conn);
    return { engineLabel: conn.engineLabel, figures, measuredAt, checks };
  });
}

export default function HomePage() {
  const { figures, engineLabel, measuredAt, checks } = useLoaderData<typeof loader>();
  const views = figures.map(describeFigure);
  const attention = views.filter((v) => v.verdict === "attention").length;
  return (
    <div className="space-y-8">
      <PageHeader title="Home" description={<>Health of the symbol catalogue at a glance.</>}>
        <p className="text-xs text-slate-500">
          {engineLabel} · as of{" "}
          <time dateTime={measuredAt}>{new Date(measuredAt).toISOString().slice(11, 19)} UTC</time>
        </p>
      </PageHeader>

      <section aria-labelledby="figures-title">
        <div className="mb-3 flex items-baseline justify-between gap-3">
          <h2 id="figures-title" className="text-sm font-semibold text-slate-900">
            Data quality figures
          </h2>
          <p className="text-xs text-slate-500">
            <code className="font-mono text-[11px]">v_symbol_data_quality</code> ·{" "}
            {attention === 0 ? "all figures as expected" : `${attention} need${attention === 1 ? "s" : ""} attention`}
          </p>
        </div>
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
          <p className="text-xs text-slate-500">The migration's go/no-go validation, run against the live catalogue.</p>
        </div>
        <Suspense fallback={<CheckSummarySkeleton />}>
          <Await resolve={checks}>{(result) => <CheckSummaryPanel result={result} />}</Await>
        </Suspense>
      </section>
    </div>
  );
}
