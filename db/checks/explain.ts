import { type Compilable, CompiledQuery, type Kysely } from "kysely";

// Times a query the way the seed's targets are stated: PostgreSQL's own "Execution Time" from
// EXPLAIN ANALYZE, so network and driver overhead are left out and the figure compares across
// engines. The query is the caller's one definition, compiled, so what is timed is what runs.

export interface Measurement {
  medianMs: number;
  runsMs: number[];
  /** The plan's nodes, outermost first, e.g. "Limit > Index Scan using ix_… on symbols". */
  plan: string;
}

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

interface ExplainDocument {
  Plan: PlanNode;
  "Execution Time": number;
}

export const DEFAULT_RUNS = 5;

function describePlan(node: PlanNode): string[] {
  const index = node["Index Name"] ? ` using ${node["Index Name"]}` : "";
  const relation = node["Relation Name"] ? ` on ${node["Relation Name"]}` : "";
  return [`${node["Node Type"]}${index}${relation}`, ...(node.Plans ?? []).flatMap(describePlan)];
}

function parseExplain(value: unknown): ExplainDocument {
  // node-postgres and PGlite both parse json columns, but a driver that returns text is handled too.
  const parsed = (typeof value === "string" ? JSON.parse(value) : value) as ExplainDocument[];
  const document = parsed[0];
  if (!document || typeof document["Execution Time"] !== "number") {
    throw new Error("EXPLAIN ANALYZE returned no execution time");
  }
  return document;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * `nodeTiming: false` leaves out the clock reads around every plan node and row (TIMING OFF): the
 * statement's execution time is still measured. On a virtual machine's clock those reads can cost
 * as much as a nested loop's probes themselves (a 200-row join measured 0.61 ms with them, 0.26 ms
 * without, in the same session).
 */
export async function measureExecution<DB>(
  db: Kysely<DB>,
  query: Compilable<unknown>,
  runs = DEFAULT_RUNS,
  options: { nodeTiming?: boolean } = {},
): Promise<Measurement> {
  const compiled = query.compile();
  const timing = options.nodeTiming === false ? "timing off, " : "buffers, ";
  const explain = CompiledQuery.raw(`explain (analyze, ${timing}format json) ${compiled.sql}`, [
    ...compiled.parameters,
  ]);
  const once = async () =>
    parseExplain((await db.executeQuery<Record<string, unknown>>(explain)).rows[0]?.["QUERY PLAN"]);
  // One unmeasured run first: it pays for cold caches and catalog lookups, which the seed's
  // targets (steady-state query times) do not include.
  const first = await once();
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) runsMs.push((await once())["Execution Time"]);
  return { medianMs: median(runsMs), runsMs, plan: describePlan(first.Plan).join(" > ") };
}
