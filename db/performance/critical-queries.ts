import type { Compilable, Kysely } from "kysely";
import { sql } from "kysely";
import { broadcastListQuery } from "../queries/broadcast-list.js";
import { defaultSymbolsQuery } from "../queries/default-symbols.js";
import { userSymbolsQuery } from "../queries/user-symbols.js";
import type { Database } from "../schema.js";

// The seed's three critical queries as the performance panel measures them: each is built from
// its one definition in db/queries with real parameters, so the panel times what production runs.

export type CriticalQueryId = "default-symbols" | "user-symbols" | "broadcast-list";

export interface BuiltQuery {
  query: Compilable<unknown>;
  /** The parameters chosen, shown beside the figures ("user: … with 12 visible symbols"). */
  parameters: Record<string, string | number>;
}

export interface CriticalQuery {
  id: CriticalQueryId;
  name: string;
  /** The seed's target for this query, in milliseconds of execution time. */
  targetMs: number;
  /** Where the definition lives, shown on the panel. */
  definedIn: string;
  /** The index its plan is meant to use at scale, named in the check's advice. */
  index: string;
  build(db: Kysely<Database>): Promise<BuiltQuery>;
}

/** A user who really has visible preferences (the busiest one), so the plan reads real rows. */
async function userWithPreferences(db: Kysely<Database>): Promise<{ id: string; visible: number } | null> {
  const { rows } = await sql<{ user_id: string; visible: number }>`
    select user_id, count(*)::int as visible from user_dashboard_preferences where is_visible
    group by user_id order by count(*) desc, user_id limit 1`.execute(db);
  return rows[0] ? { id: rows[0].user_id, visible: rows[0].visible } : null;
}

/** No user at all: an id nobody has, so the query still runs (and reads an empty dashboard). */
const NOBODY = "00000000-0000-0000-0000-000000000000";

export const CRITICAL_QUERIES: readonly CriticalQuery[] = [
  {
    id: "default-symbols",
    name: "Default symbols",
    targetMs: 1,
    definedIn: "db/queries/default-symbols.ts",
    index: "ix_symbols_default_order",
    build: async (db) => ({ query: defaultSymbolsQuery(db), parameters: {} }),
  },
  {
    id: "user-symbols",
    name: "User symbols",
    targetMs: 2,
    definedIn: "db/queries/user-symbols.ts",
    index: "ix_udp_user_visible_order",
    build: async (db) => {
      const user = await userWithPreferences(db);
      const parameters: Record<string, string | number> = user
        ? { user_id: user.id, visible_preferences: user.visible }
        : { user_id: NOBODY, note: "no user has preferences yet: an empty dashboard is measured" };
      return { query: userSymbolsQuery(db, user?.id ?? NOBODY), parameters };
    },
  },
  {
    id: "broadcast-list",
    name: "Broadcast list",
    targetMs: 3,
    definedIn: "db/queries/broadcast-list.ts",
    index: "ix_symbols_broadcast_queue",
    build: async (db) => ({ query: broadcastListQuery(db), parameters: { limit: 100 } }),
  },
];

export function criticalQuery(id: string): CriticalQuery | undefined {
  return CRITICAL_QUERIES.find((q) => q.id === id);
}

/** The seed's rollback trigger: "query performance > 10 ms consistently". */
export const ROLLBACK_QUERY_MS = 10;
