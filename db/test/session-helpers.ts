import { type Kysely, type KyselyPlugin, type RootOperationNode, sql } from "kysely";
import pg from "pg";
import { KYSELY_MIGRATION_LOCK_ID } from "../migrator.js";
import type { Database } from "../schema.js";
import { hashSessionId } from "../security/sessions.js";
import type { TestDatabase } from "./engines.js";

// What the app's tests need of a database session beyond the repositories: holding the
// migrator's lock as a running step does, counting the queries that code sends, and setting a
// staff session's last activity into the past.

/**
 * Takes the session-level lock Kysely's migrator holds for a whole step: from a session of its
 * own on the server, from the one session of the embedded database. Resolves with its release.
 */
export async function holdMigratorLock(conn: TestDatabase): Promise<() => Promise<void>> {
  if (conn.engine === "pglite") {
    await sql.raw(`select pg_advisory_lock(${KYSELY_MIGRATION_LOCK_ID})`).execute(conn.db);
    return async () => void (await sql.raw(`select pg_advisory_unlock(${KYSELY_MIGRATION_LOCK_ID})`).execute(conn.db));
  }
  return holdAdvisoryLock(conn.url!, KYSELY_MIGRATION_LOCK_ID);
}

/**
 * Takes the session-level advisory lock `key` from a session of its own on the server at `url`
 * (waiting while another session holds it). Resolves with its release, which ends the session.
 */
export async function holdAdvisoryLock(url: string, key: string): Promise<() => Promise<void>> {
  const session = new pg.Client({ connectionString: url });
  await session.connect();
  try {
    await session.query("select pg_advisory_lock($1)", [key]);
  } catch (error) {
    await session.end();
    throw error;
  }
  return async () => {
    await session.query("select pg_advisory_unlock($1)", [key]);
    await session.end();
  };
}

/** `conn` with a counter of the SELECT statements sent through it. */
export function countingSelects(conn: TestDatabase): { conn: TestDatabase; selects: () => number } {
  let selects = 0;
  const counting: KyselyPlugin = {
    transformQuery: ({ node }) => {
      if (node.kind === "SelectQueryNode") selects++;
      return node as RootOperationNode;
    },
    transformResult: async ({ result }) => result,
  };
  return { conn: { ...conn, db: conn.db.withPlugin(counting) }, selects: () => selects };
}

/** Makes the staff session `sessionId` (the cookie's id) look last used `minutes` ago. */
export async function idleStaffSession(db: Kysely<Database>, sessionId: string, minutes: number): Promise<void> {
  await db
    .updateTable("staff_sessions")
    .set({ last_seen_at: sql<Date>`now() - make_interval(mins => ${minutes})` })
    .where("id", "=", hashSessionId(sessionId))
    .execute();
}

/** When the staff session `sessionId` (the cookie's id) was last used. */
export async function staffSessionLastSeen(db: Kysely<Database>, sessionId: string): Promise<Date | null> {
  const row = await db
    .selectFrom("staff_sessions")
    .select("last_seen_at")
    .where("id", "=", hashSessionId(sessionId))
    .executeTakeFirstOrThrow();
  return row.last_seen_at;
}
