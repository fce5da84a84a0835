import type { DbConnection } from "../client.js";
import { SCHEMA_CHANNEL } from "../notifications.js";
import { columnsOf20250108Present, type RolledBack, rollbackSavedAt } from "../queries/rolled-back-20250108.js";
import { createNotifiedCache, type NotifiedCache } from "./notified-cache.js";

// Whether 20250108 is rolled back (and since when), for answers that read none of its columns but
// still tell clients the catalogue is in its fallback state. Kept until the migrator announces a
// schema step, so asking costs nothing per request.

export function rollbackStateCache(conn: DbConnection): NotifiedCache<RolledBack | null> {
  return createNotifiedCache(conn, [SCHEMA_CHANNEL], async () => {
    if (await columnsOf20250108Present(conn.db)) return { value: null, cacheable: true };
    try {
      return { value: { since: await rollbackSavedAt(conn.db) }, cacheable: true };
    } catch {
      // No backup: a re-apply finished since the columns were looked up (it drops the backup once
      // they are back), or 20250108 was never applied.
      return { value: (await columnsOf20250108Present(conn.db)) ? null : { since: null }, cacheable: true };
    }
  });
}
