import type { DbConnection } from "#db/client";
import { rollbackStateCache } from "#db/cache/rollback-state";
import type { NotifiedCache } from "#db/cache/notified-cache";
import type { RolledBack } from "#db/queries/rolled-back-20250108";

// While 20250108 is rolled back the read endpoints keep answering (defaults from the rollback's
// backup, the rest on the columns left in place) and say so in one header, documented in the
// OpenAPI document: `X-Symbols-Fallback: 20250108-rolled-back; since=<when the values were saved>`.

export const FALLBACK_HEADER = "X-Symbols-Fallback";
export const FALLBACK_STATE = "20250108-rolled-back";

export function fallbackHeaders(rolledBack: RolledBack | null): Record<string, string> {
  if (!rolledBack) return {};
  const since = rolledBack.since ? `; since=${rolledBack.since.toISOString()}` : "";
  return { [FALLBACK_HEADER]: `${FALLBACK_STATE}${since}` };
}

const states = new WeakMap<DbConnection, NotifiedCache<RolledBack | null>>();

/** The header for an answer that reads none of the four columns: set while they are rolled back. */
export async function rollbackStateHeaders(conn: DbConnection): Promise<Record<string, string>> {
  let state = states.get(conn);
  if (!state) {
    state = rollbackStateCache(conn);
    states.set(conn, state);
  }
  return fallbackHeaders(await state.get());
}
