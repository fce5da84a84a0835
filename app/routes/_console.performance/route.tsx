import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Button } from "~/components/button";
import { LiveRefresh } from "~/components/live-refresh";
import { ms, PanelMessage } from "~/components/status-chip";
import { withDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/console-forms.server";
import { describeFailure, readPanel } from "~/utils/panel-data.server";
import { requireStaff } from "~/utils/permissions.server";
import { topologyView } from "~/utils/topology.server";
import { TopologyPanel } from "~/components/topology-panel";
import { invalidateReadiness } from "~/utils/readiness.server";
import {
  CRITICAL_QUERIES,
  DEFAULT_RUNS,
  MAX_RUNS,
  measurementHistory,
  measureQuery,
  storeMeasurement,
} from "./performance.server";
import { type MeasurementView, QueryCard } from "./query-card";
import { cx, focusRing } from "~/components/classes";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Performance · Symbol Desk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  return withDb(async (conn) => {
    const history = await readPanel("The stored measurements", async () =>
      Promise.all(
        CRITICAL_QUERIES.map(async (q) => ({ id: q.id, history: await measurementHistory(conn.db, q.id, 30) })),
      ),
    );
    const queries = CRITICAL_QUERIES.map((q) => ({
      id: q.id,
      name: q.name,
      targetMs: q.targetMs,
      definedIn: q.definedIn,
      history: (history.ok ? (history.data.find((h) => h.id === q.id)?.history ?? []) : []).map(
        (m): MeasurementView => ({ ...m, measuredAt: m.measuredAt.toISOString() }),
      ),
    }));
    return {
      readAt: new Date().toISOString(),
      engineLabel: conn.engineLabel,
      statementTimeout: conn.features.statementTimeout,
      runs: { default: DEFAULT_RUNS, max: MAX_RUNS },
      historyMessage: history.ok ? null : history.message,
      queries,
      topology: await topologyView(conn),
    };
  });
}

const measureSchema = z.object({
  intent: z.literal("measure", { error: "Unknown action." }),
  runs: z.coerce
    .number({ error: "Enter a number of runs." })
    .int("Enter a whole number of runs.")
    .min(1, "At least 1 run.")
    .max(MAX_RUNS, `At most ${MAX_RUNS} runs.`),
});

// Any staff member may measure: EXPLAIN ANALYZE runs in a READ ONLY transaction, bounded in runs
// and time, and only the measurement is stored.
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "viewer");
  const parsed = parseForm(measureSchema, await readForm(request));
  if (!parsed.ok)
    return data(
      { ok: false as const, error: Object.values(parsed.fieldErrors)[0] ?? "Check the form." },
      { status: 400 },
    );
  return withDb(async (conn) => {
    const lines: string[] = [];
    try {
      for (const query of CRITICAL_QUERIES) {
        const m = await measureQuery(conn, query, { runs: parsed.data.runs });
        await storeMeasurement(conn.db, m, staff.email);
        lines.push(`${query.name} ${ms(m.execution.medianMs)} ms`);
      }
    } catch (error) {
      return data(
        { ok: false as const, error: describeFailure(error, "The measurement could not be run just now.") },
        { status: 409 },
      );
    }
    invalidateReadiness();
    return { ok: true as const, message: `Measured (median, ${conn.engineLabel}): ${lines.join(" · ")}.` };
  });
}

function MeasureForm({ runs }: { runs: { default: number; max: number } }) {
  const fetcher = useFetcher<typeof action>({ key: "measure" });
  const pending = fetcher.state !== "idle";
  const result = fetcher.data;
  return (
    <fetcher.Form method="post" className="flex flex-wrap items-end justify-end gap-2">
      <input type="hidden" name="intent" value="measure" />
      <label className="text-xs font-medium text-slate-600">
        Runs per query
        <input
          name="runs"
          type="number"
          min={1}
          max={runs.max}
          defaultValue={runs.default}
          required
          className={cx(
            "mt-0.5 block w-20 rounded-md border border-slate-300 bg-white px-2 py-1 text-[13px] tabular-nums",
            focusRing,
          )}
        />
      </label>
      <Button type="submit" pending={pending} pendingText="Measuring…">
        Measure now
      </Button>
      <p
        aria-live="polite"
        className={`basis-full text-right text-xs ${result && !result.ok ? "text-red-700" : "text-slate-600"}`}
      >
        {pending
          ? "Running EXPLAIN ANALYZE on the three queries…"
          : result
            ? result.ok
              ? result.message
              : result.error
            : ""}
      </p>
    </fetcher.Form>
  );
}

export default function PerformancePage() {
  const page = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Performance"
        description={
          <>
            The seed's three critical queries, timed by{" "}
            <code className="font-mono text-[12px]">EXPLAIN (ANALYZE, BUFFERS)</code> on {page.engineLabel}
            {page.statementTimeout
              ? " (read-only, with a statement timeout)"
              : " (read-only; bounded runs and a time budget, as statement_timeout never fires here)"}
            .
          </>
        }
        below={
          <nav aria-label="Performance views" className="mt-2 flex gap-3 text-[13px]">
            <span aria-current="page" className="border-b-2 border-indigo-500 pb-0.5 font-medium text-slate-900">
              Critical queries
            </span>
            <Link to="/performance/indexes" className={cx("pb-0.5 text-slate-600 hover:text-slate-900", focusRing)}>
              Index health
            </Link>
          </nav>
        }
      >
        <div className="ml-auto flex flex-col items-end gap-2">
          <MeasureForm runs={page.runs} />
          <LiveRefresh readAt={page.readAt} intervalSeconds={30} />
        </div>
      </PageHeader>
      {page.historyMessage ? <PanelMessage>{page.historyMessage}</PanelMessage> : null}
      <TopologyPanel topology={page.topology} />
      <div className="grid gap-4 xl:grid-cols-2">
        {page.queries.map((q) => (
          <QueryCard key={q.id} query={q} />
        ))}
      </div>
    </div>
  );
}
