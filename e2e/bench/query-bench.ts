import type { Compilable, Kysely } from "kysely";
import { measureExecution } from "../../db/checks/explain.js";
import { broadcastListQuery } from "../../db/queries/broadcast-list.js";
import { defaultSymbolsQuery } from "../../db/queries/default-symbols.js";
import { userSymbolsQuery } from "../../db/queries/user-symbols.js";
import type { Database } from "../../db/schema.js";
import type { Dataset } from "./datasets.js";
import { type Summary, summarize } from "./stats.js";

// EXPLAIN ANALYZE execution time of each critical query's one definition, many runs each.

export interface QueryFigure {
  query: string;
  symbols: number;
  execution: Summary;
  /** The seed's target, and ours at 100k symbols. */
  seedTargetMs: number | null;
  ownTargetMs: number | null;
  plan: string;
}

interface BenchQuery {
  name: string;
  seedTargetMs: number | null;
  ownTargetMs: number | null;
  build(db: Kysely<Database>, dataset: Dataset): Promise<Compilable<unknown>>;
}

async function searchQuery(db: Kysely<Database>): Promise<Compilable<unknown> | null> {
  try {
    // Resolved at run time: the search query is measured where the catalogue has one.
    const modulePath = "../../db/queries/symbol-search.js";
    const module = (await import(modulePath)) as Record<string, unknown>;
    const build = module.symbolSearchQuery as ((db: Kysely<Database>, options: { q: string; limit: number }) => Compilable<unknown>) | undefined;
    return build ? build(db, { q: "dmo", limit: 20 }) : null;
  } catch {
    return null;
  }
}

const QUERIES: BenchQuery[] = [
  { name: "default symbols", seedTargetMs: 1, ownTargetMs: 0.1, build: async (db) => defaultSymbolsQuery(db) },
  { name: "user symbols (10 prefs)", seedTargetMs: 2, ownTargetMs: 0.3, build: async (db, d) => userSymbolsQuery(db, d.userWith10) },
  { name: "user symbols (200 prefs)", seedTargetMs: 2, ownTargetMs: 0.3, build: async (db, d) => userSymbolsQuery(db, d.userWith200) },
  { name: "broadcast list", seedTargetMs: 3, ownTargetMs: 1, build: async (db) => broadcastListQuery(db) },
];

export async function benchQueries(dataset: Dataset, runs: number): Promise<QueryFigure[]> {
  const figures: QueryFigure[] = [];
  const search = await searchQuery(dataset.conn.db);
  const all = search
    ? [...QUERIES, { name: "symbol search", seedTargetMs: null, ownTargetMs: null, build: async () => search }]
    : QUERIES;
  for (const query of all) {
    const measured = await measureExecution(dataset.conn.db, await query.build(dataset.conn.db, dataset), runs);
    figures.push({
      query: query.name,
      symbols: dataset.symbols,
      execution: summarize(measured.runsMs),
      seedTargetMs: query.seedTargetMs,
      ownTargetMs: query.ownTargetMs,
      plan: measured.plan,
    });
  }
  return figures;
}
