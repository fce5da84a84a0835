import { CRITICAL_QUERIES, type CriticalQuery } from "../performance/critical-queries.js";
import { measureQuery, type QueryMeasurement } from "../performance/measure.js";
import { planSummary } from "../performance/plan.js";
import type { Check, CheckContext } from "./types.js";

// The seed's three critical queries against their targets, measured as the performance panel
// measures them (db/performance), so the check, the panel and the API agree on what is timed.

const RUNS = 5;

const round = (ms: number) => Math.round(ms * 1000) / 1000;

const measure = (ctx: CheckContext, query: CriticalQuery) => measureQuery(ctx, query, { runs: RUNS });

export const queryUnderTarget = (query: CriticalQuery): Check => ({
  id: `performance.query.${query.id}`,
  title: `${query.name} query under ${query.targetMs} ms (EXPLAIN ANALYZE, median of ${RUNS})`,
  category: "performance",
  severity: "error",
  fixHint:
    `Check that the plan uses ${query.index} (schema checks), run ANALYZE on the catalogue tables, ` +
    `and compare the plan in the EXPLAIN panel.`,
  async offendingRows(ctx) {
    const met = (m: QueryMeasurement) => m.execution.medianMs < query.targetMs;
    const measurements = [await measure(ctx, query)];
    // A median over the target is measured once more before the check fails: a busy machine's
    // stall of a few milliseconds can cover three runs of five, and a query that is really slow
    // is slow both times (the seed's rollback trigger speaks of times that stay high).
    if (!met(measurements[0]!)) measurements.push(await measure(ctx, query));
    const last = measurements.at(-1)!;
    const plan = planSummary(last.tree);
    ctx.note?.(
      `median ${measurements.map((m) => round(m.execution.medianMs)).join(" ms, then ")} ms ` +
        `(target < ${query.targetMs} ms) on ${ctx.engineLabel}; plan: ${plan}`,
    );
    if (met(last)) return [];
    return [
      {
        query: query.id,
        median_ms: round(last.execution.medianMs),
        target_ms: query.targetMs,
        runs_ms: measurements.flatMap((m) => m.samples.map((s) => round(s.executionMs))).join(", "),
        plan,
      },
    ];
  },
});

export const queryPerformanceChecks: readonly Check[] = CRITICAL_QUERIES.map(queryUnderTarget);
