import type { DbConnection } from "#db/client";
import { defaultSymbolsCache } from "#db/cache/default-symbols";
import type { NotifiedCache } from "#db/cache/notified-cache";
import { etagOf } from "./etag.server";
import { fallbackHeaders } from "./rollback-fallback.server";
import { defaultSymbolsJson } from "./views.server";

// The body of GET /api/symbols/defaults and its ETag, made once per change of the defaults rather
// than once per request (see db/cache/default-symbols.ts for when it is dropped).

export interface DefaultsBody {
  body: string;
  etag: string;
  /** Headers of the answer itself: the fallback header while 20250108 is rolled back. */
  headers: Record<string, string>;
}

const caches = new WeakMap<DbConnection, NotifiedCache<DefaultsBody>>();

export function defaultsBody(conn: DbConnection): Promise<DefaultsBody> {
  let cache = caches.get(conn);
  if (!cache) {
    cache = defaultSymbolsCache(conn, (rows, rolledBack) => {
      const body = JSON.stringify(defaultSymbolsJson(rows));
      return { body, etag: etagOf(body), headers: fallbackHeaders(rolledBack) };
    });
    caches.set(conn, cache);
  }
  return cache.get();
}
