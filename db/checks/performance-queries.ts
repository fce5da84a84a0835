import { randomUUID } from "node:crypto";
import { type Compilable, type Kysely, sql } from "kysely";
import { broadcastListQuery } from "../queries/broadcast-list.js";
import { defaultSymbolsQuery } from "../queries/default-symbols.js";
import { userSymbolsQuery } from "../queries/user-symbols.js";
import type { Database } from "../schema.js";
import { DEFAULT_RUNS, measureExecution } from "./explain.js";
import type { Check } from "./types.js";

// The seed's three critical queries against their targets, each timed on its one definition in
// db/queries, so what the check measures is what the API and the pages run.

interface CriticalQuery {
  id: string;
  name: string;
  targetMs: number;
  indexHint: string;
  build(db: Kysely<Database>): Promise<Compilable<unknown>>;
}

/** The user whose dashboard is heaviest; a random id (an empty dashboard) when there are none. */
async function busiestUserId(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ user_id: string }>`
    select user_id from user_dashboard_preferences where is_visible
    group by user_id order by count(*) desc, user_id limit 1`.execute(db);
  return rows[0]?.user_id ?? randomUUID();
}

const CRITICAL_QUERIES: readonly CriticalQuery[] = [
  {
    id: "default-symbols",
    name: "Default symbols",
    targetMs: 1,
    indexHint: "ix_symbols_default_order",
    build: async (db) => defaultSymbolsQuery(db),
  },
  {
    id: "user-symbols",
    name: "User symbols",
    targetMs: 2,
    indexHint: "ix_udp_user_visible_order",
    build: async (db) => userSymbolsQuery(db, await busiestUserId(db)),
  },
  {
    id: "broadcast-list",
    name: "Broadcast list",
    targetMs: 3,
    indexHint: "ix_symbols_broadcast_queue",
    build: async (db) => broadcastListQuery(db),
  },
];

const round = (ms: number) => Math.round(ms * 1000) / 1000;

const underTarget = (query: CriticalQuery): Check => ({
  id: `performance.query.${query.id}`,
  title: `${query.name} query under ${query.targetMs} ms (EXPLAIN ANALYZE, median of ${DEFAULT_RUNS})`,
  category: "performance",
  severity: "error",
  fixHint:
    `Check that the plan uses ${query.indexHint} (schema checks), run ANALYZE on the catalogue tables, ` +
    `and compare the plan in the EXPLAIN panel.`,
  async offendingRows(ctx) {
    const measured = await measureExecution(ctx.db, await query.build(ctx.db));
    ctx.note?.(
      `median ${round(measured.medianMs)} ms (target < ${query.targetMs} ms) on ${ctx.engineLabel}; plan: ` +
        `${measured.plan}`,
    );
    if (measured.medianMs < query.targetMs) return [];
    return [
      {
        query: query.id,
        median_ms: round(measured.medianMs),
        target_ms: query.targetMs,
        runs_ms: measured.runsMs.map(round).join(", "),
        plan: measured.plan,
      },
    ];
  },
});

export const queryPerformanceChecks: readonly Check[] = CRITICAL_QUERIES.map(underTarget);
