import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";

// The broadcaster's only write to `symbols`: one statement per cycle that stamps exactly the
// symbols it sent. It touches `last_broadcast_at` and nothing else (not `version`, so a staff
// edit in flight never meets a conflict it did not cause; since 20250115 not `updated_at`
// either), which is what lets PostgreSQL make it a HOT update: no index names the column, so the
// new row version stays on its page and no index gets a new entry.

export async function stampBroadcast(db: Kysely<Database>, symbolIds: readonly string[], at: Date): Promise<number> {
  if (symbolIds.length === 0) return 0;
  const result = await db
    .updateTable("symbols")
    .set({ last_broadcast_at: at })
    .where("id", "=", sql<string>`any(${sql.val(symbolIds)}::uuid[])`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The statement `stampBroadcast` sends, for EXPLAIN (ANALYZE, WAL) in the write-cost bench. */
export function stampStatement(db: Kysely<Database>, symbolIds: readonly string[], at: Date) {
  return db
    .updateTable("symbols")
    .set({ last_broadcast_at: at })
    .where("id", "=", sql<string>`any(${sql.val(symbolIds)}::uuid[])`)
    .compile();
}
