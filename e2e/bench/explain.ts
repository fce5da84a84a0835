import { type Compilable, CompiledQuery, type Kysely } from "kysely";
import { analyzePlan, parseExplainDocument, planSummary } from "../../db/performance/plan.js";

// Times a query the way the seed's targets are stated: PostgreSQL's own "Execution Time" from
// EXPLAIN ANALYZE, so network and driver overhead are left out and the figure compares across
// engines. The query is the caller's one definition, compiled, so what is timed is what runs.

export interface Execution {
  runsMs: number[];
  /** The plan's nodes, outermost first, e.g. "Limit > Index Scan using ix_… on symbols". */
  plan: string;
}

/**
 * `nodeTiming: false` leaves out the clock reads around every plan node and row (TIMING OFF): the
 * statement's execution time is still measured. On a virtual machine's clock those reads can cost
 * as much as a nested loop's probes themselves (a 200-row join measured 0.61 ms with them, 0.26 ms
 * without, in the same session).
 */
export async function measureExecution<DB>(
  db: Kysely<DB>,
  query: Compilable<unknown>,
  runs: number,
  options: { nodeTiming?: boolean } = {},
): Promise<Execution> {
  const compiled = query.compile();
  const timing = options.nodeTiming === false ? "timing off, " : "buffers, ";
  const explain = CompiledQuery.raw(`explain (analyze, ${timing}format json) ${compiled.sql}`, [
    ...compiled.parameters,
  ]);
  const once = async () => {
    const document = parseExplainDocument(
      (await db.executeQuery<Record<string, unknown>>(explain)).rows[0]?.["QUERY PLAN"],
    );
    if (typeof document["Execution Time"] !== "number") throw new Error("EXPLAIN ANALYZE returned no execution time");
    return document;
  };
  // One unmeasured run first: it pays for cold caches and catalog lookups, which the seed's
  // targets (steady-state query times) do not include.
  const first = await once();
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) runsMs.push((await once())["Execution Time"]!);
  return { runsMs, plan: planSummary(analyzePlan(first)) };
}
