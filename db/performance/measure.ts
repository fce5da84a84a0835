import { CompiledQuery, type Kysely, sql } from "kysely";
import type { DbConnection } from "../client.js";
import type { Database } from "../schema.js";
import type { CriticalQuery } from "./critical-queries.js";
import { analyzePlan, type PlanDocument, type PlanNodeView, parseExplainDocument, planRelations } from "./plan.js";

// Times one critical query the way the seed states its targets: PostgreSQL's own Execution and
// Planning Time from EXPLAIN (ANALYZE, BUFFERS), N times, each run in a READ ONLY transaction.
//
// Guards, because EXPLAIN ANALYZE really executes the query:
// - N is bounded (MAX_RUNS) and a time budget is checked between runs;
// - on a server, `statement_timeout` cancels a run that takes too long;
// - the embedded engine accepts statement_timeout but never fires it, so there the planner's
//   row estimate is read first (plain EXPLAIN) and a query expected to read more than ROW_CAP
//   rows is not executed at all.

export const DEFAULT_RUNS = 20;
export const MAX_RUNS = 100;
export const ROW_CAP = 1_000_000;
const STATEMENT_TIMEOUT_MS = 2_000;
const DEFAULT_BUDGET_MS = 5_000;

export interface RunSample {
  executionMs: number;
  planningMs: number;
}

export interface Figures {
  medianMs: number;
  p95Ms: number;
}

export interface QueryMeasurement {
  queryId: string;
  engineLabel: string;
  measuredAt: Date;
  requestedRuns: number;
  samples: RunSample[];
  execution: Figures;
  planning: Figures;
  targetMs: number;
  parameters: Record<string, string | number>;
  /** The plan of the run whose execution time is the median. */
  plan: PlanDocument;
  tree: PlanNodeView;
  /** Why fewer runs than asked were made, if so. */
  note: string | null;
}

export class MeasurementRefusedError extends Error {}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = sorted(values);
  const middle = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[middle]! : (s[middle - 1]! + s[middle]!) / 2;
}

/** Nearest-rank percentile: the smallest value at or above `p` % of the runs. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const s = sorted(values);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const figuresOf = (values: number[]): Figures => ({ medianMs: median(values), p95Ms: percentile(values, 95) });

/** Rows per relation from the planner statistics (pg_class.reltuples), for the badges. */
export async function relationSizes(db: Kysely<Database>, relations: string[]): Promise<Record<string, number>> {
  if (relations.length === 0) return {};
  const { rows } = await sql<{ relname: string; rows: number }>`
    select relname, greatest(reltuples, 0)::float8 as rows from pg_class
    where relname = any(${relations}::text[]) and relnamespace = current_schema()::regnamespace`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.relname, Number(r.rows)]));
}

function largestEstimate(document: PlanDocument): number {
  let largest = 0;
  const visit = (node: PlanDocument["Plan"]) => {
    largest = Math.max(largest, Number(node["Plan Rows"] ?? 0));
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(document.Plan);
  return largest;
}

export async function measureQuery(
  conn: Pick<DbConnection, "db" | "engineLabel" | "features">,
  query: CriticalQuery,
  options: { runs?: number; budgetMs?: number } = {},
): Promise<QueryMeasurement> {
  const requestedRuns = Math.min(MAX_RUNS, Math.max(1, Math.floor(options.runs ?? DEFAULT_RUNS)));
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const { db } = conn;
  const built = await query.build(db);
  const compiled = built.query.compile();
  const explain = (analyze: boolean) =>
    CompiledQuery.raw(`explain (${analyze ? "analyze, buffers, " : ""}format json) ${compiled.sql}`, [
      ...compiled.parameters,
    ]);

  const once = (analyze: boolean) =>
    db
      .transaction()
      .setAccessMode("read only")
      .execute(async (trx) => {
        // Said again as the first statement: the embedded dialect ignores setAccessMode.
        await sql`set transaction read only`.execute(trx);
        if (conn.features.statementTimeout) {
          await sql`select set_config('statement_timeout', ${String(STATEMENT_TIMEOUT_MS)}, true)`.execute(trx);
        }
        const result = await trx.executeQuery<Record<string, unknown>>(explain(analyze));
        return parseExplainDocument(result.rows[0]?.["QUERY PLAN"]);
      });

  if (!conn.features.statementTimeout) {
    const expected = largestEstimate(await once(false));
    if (expected > ROW_CAP) {
      throw new MeasurementRefusedError(
        `Not measured: the planner expects a node to read ${Math.round(expected)} rows, over the cap of ${ROW_CAP} ` +
          `on ${conn.engineLabel}, where statement_timeout cannot stop a run.`,
      );
    }
  }

  // One unmeasured run first: it pays for cold caches and catalog look-ups, which the seed's
  // steady-state targets do not include.
  await once(true);
  const started = performance.now();
  const runs: { sample: RunSample; plan: PlanDocument }[] = [];
  let note: string | null = null;
  for (let i = 0; i < requestedRuns; i++) {
    if (i > 0 && performance.now() - started > budgetMs) {
      note =
        `Stopped after ${i} of ${requestedRuns} runs: the ${budgetMs / 1000} s time budget was spent on ` +
        `${conn.engineLabel}.`;
      break;
    }
    const plan = await once(true);
    runs.push({
      sample: { executionMs: Number(plan["Execution Time"] ?? 0), planningMs: Number(plan["Planning Time"] ?? 0) },
      plan,
    });
  }

  const samples = runs.map((r) => r.sample);
  const execution = figuresOf(samples.map((s) => s.executionMs));
  const planning = figuresOf(samples.map((s) => s.planningMs));
  const medianRun = runs.reduce((best, run) =>
    Math.abs(run.sample.executionMs - execution.medianMs) < Math.abs(best.sample.executionMs - execution.medianMs)
      ? run
      : best,
  );
  const sizes = await relationSizes(db, planRelations(medianRun.plan));
  return {
    queryId: query.id,
    engineLabel: conn.engineLabel,
    measuredAt: new Date(),
    requestedRuns,
    samples,
    execution,
    planning,
    targetMs: query.targetMs,
    parameters: built.parameters,
    plan: medianRun.plan,
    tree: analyzePlan(medianRun.plan, sizes),
    note,
  };
}
