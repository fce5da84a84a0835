import type { Compilable, Kysely } from "kysely";
import { measureExecution } from "./explain.js";
import { broadcastListQuery } from "../../db/queries/broadcast-list.js";
import { defaultSymbolsQuery } from "../../db/queries/default-symbols.js";
import { symbolSearchQuery } from "../../db/queries/symbol-search.js";
import { userSymbolsQuery } from "../../db/queries/user-symbols.js";
import type { Database } from "../../db/schema.js";
import type { Dataset } from "./datasets.js";
import { type Summary, summarize } from "./stats.js";

// EXPLAIN ANALYZE execution time of each critical query's one definition, many runs each.

export interface QueryFigure {
  query: string;
  symbols: number;
  execution: Summary;
  /** The same, without per-node timing (EXPLAIN (ANALYZE, TIMING OFF)): the statement alone. */
  statementOnly: Summary;
  /** The seed's target, and ours at 100k symbols. */
  seedTargetMs: number | null;
  ownTargetMs: number | null;
  plan: string;
}

interface BenchQuery {
  name: string;
  seedTargetMs: number | null;
  ownTargetMs: number | null;
  build(db: Kysely<Database>, dataset: Dataset): Compilable<unknown>;
}

const QUERIES: BenchQuery[] = [
  { name: "default symbols", seedTargetMs: 1, ownTargetMs: 0.1, build: (db) => defaultSymbolsQuery(db) },
  {
    name: "user symbols (10 prefs)",
    seedTargetMs: 2,
    ownTargetMs: 0.3,
    build: (db, d) => userSymbolsQuery(db, d.userWith10),
  },
  {
    name: "user symbols (30 prefs)",
    seedTargetMs: 2,
    ownTargetMs: 0.3,
    build: (db, d) => userSymbolsQuery(db, d.userWith30),
  },
  {
    name: "user symbols (200 prefs)",
    seedTargetMs: 2,
    ownTargetMs: 0.3,
    build: (db, d) => userSymbolsQuery(db, d.userWith200),
  },
  { name: "broadcast list", seedTargetMs: 3, ownTargetMs: 1, build: (db) => broadcastListQuery(db) },
  // The API's search, with a text that hits the trigram indexes (three characters or more).
  {
    name: "symbol search",
    seedTargetMs: null,
    ownTargetMs: null,
    build: (db) => symbolSearchQuery(db, { q: "dmo", limit: 20 }),
  },
];

/** The seed's three critical queries, as named above. */
export const CRITICAL_QUERIES = ["default symbols", "user symbols (10 prefs)", "broadcast list"] as const;

export async function benchQueries(
  dataset: Dataset,
  runs: number,
  only: readonly string[] = QUERIES.map((q) => q.name),
): Promise<QueryFigure[]> {
  const figures: QueryFigure[] = [];
  for (const query of QUERIES.filter((q) => only.includes(q.name))) {
    const measured = await measureExecution(dataset.conn.db, query.build(dataset.conn.db, dataset), runs);
    const statementOnly = await measureExecution(dataset.conn.db, query.build(dataset.conn.db, dataset), runs, {
      nodeTiming: false,
    });
    figures.push({
      query: query.name,
      symbols: dataset.symbols,
      execution: summarize(measured.runsMs),
      statementOnly: summarize(statementOnly.runsMs),
      seedTargetMs: query.seedTargetMs,
      ownTargetMs: query.ownTargetMs,
      plan: measured.plan,
    });
  }
  return figures;
}
