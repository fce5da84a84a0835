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
    const since = await rollbackSavedAt(conn.db).catch(() => null);
    return { value: { since }, cacheable: true };
  });
}
