import { sql } from "kysely";
import type { DbConnection } from "../client.js";
import { SCHEMA_CHANNEL } from "../notifications.js";

// What a cache that cannot listen reads instead of a notification: the version rows the
// announcing triggers bump (20250112), and for the schema channel the migrator's own record of
// steps (a step adds a row when it starts and stamps it when it ends). One small query; a value
// that differs from the one a cached entry was made under means "changed".

/** The cheapest bound that keeps a burst of requests to one check. */
export const CHANGE_CHECK_EVERY_MS = 1_000;

export async function readChangeStamp(conn: DbConnection, channels: readonly string[]): Promise<string | null> {
  const rows = channels.filter((channel) => channel !== SCHEMA_CHANNEL);
  try {
    const { rows: found } = await sql<{ versions: string | null; schema: string | null }>`
      select
        (select string_agg(channel || '=' || version, ',' order by channel) from symbol_desk_change_versions
          where channel in (${sql.join(rows.length ? rows : [""])})) as versions,
        ${
          channels.includes(SCHEMA_CHANNEL)
            ? sql`(select count(*) || '/' || coalesce(max(coalesce(finished_at, started_at))::text, '')
              from migration_runs)`
            : sql`''`
        } as schema`.execute(conn.db);
    const { versions, schema } = found[0]!;
    // A channel without its row cannot tell a change: nothing is kept.
    if (rows.length && (versions ?? "").split(",").filter(Boolean).length !== rows.length) return null;
    return `${versions ?? ""}|${schema ?? ""}`;
  } catch {
    // The version table is absent (20250112 not applied, or rolled back): nothing is kept.
    return null;
  }
}

/** A stamp reader that asks the database at most once per CHANGE_CHECK_EVERY_MS, sharing the answer. */
export function throttledStamp(conn: DbConnection, channels: readonly string[]): () => Promise<string | null> {
  let last: { at: number; stamp: Promise<string | null> } | null = null;
  return () => {
    if (last && Date.now() - last.at < CHANGE_CHECK_EVERY_MS) return last.stamp;
    last = { at: Date.now(), stamp: readChangeStamp(conn, channels) };
    return last.stamp;
  };
}
