import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import type { DbConnection } from "#db/client";
import { defaultSymbolsCache } from "#db/cache/default-symbols";
import type { NotifiedCache } from "#db/cache/notified-cache";
import { acceptsEncoding, MIN_COMPRESS_BYTES } from "~/server/compression";
import { securityHeaders } from "~/server/security-headers";
import { API_HEADERS } from "./errors.server";
import { etagMatches, etagOf } from "./etag.server";
import { fallbackHeaders } from "./rollback-fallback.server";
import { defaultSymbolsJson } from "./views.server";

// The body of GET /api/symbols/defaults and its ETag, made once per change of the defaults rather
// than once per request (see db/cache/default-symbols.ts for when it is dropped). With it, the
// whole of the answer as the server writes it (headers, the gzipped body): an anonymous GET is
// answered from the socket (`sendDefaults`), with nothing built per request.

/** Clients may store the list but must revalidate every time: the ETag tells them whether it changed. */
export const DEFAULTS_CACHE_CONTROL = "public, no-cache";

type Headers = Record<string, string | number>;

/** The written answer's headers, over plain http and over https (which adds HSTS). */
interface Written {
  plain: Headers;
  gzipped: Headers | null;
  notModified: Headers;
}

export interface DefaultsBody {
  body: string;
  etag: string;
  /** Headers of the answer itself: the fallback header while 20250108 is rolled back. */
  headers: Record<string, string>;
  raw: Buffer;
  /** The body gzipped as the server would (level 4), when it is large enough to gain from it. */
  gzip: Buffer | null;
  written: { http: Written; https: Written };
}

const caches = new WeakMap<DbConnection, NotifiedCache<DefaultsBody>>();

export function defaultsBody(conn: DbConnection): Promise<DefaultsBody> {
  let cache = caches.get(conn);
  if (!cache) {
    cache = defaultSymbolsCache(conn, (rows, rolledBack) =>
      prepare(JSON.stringify(defaultSymbolsJson(rows)), fallbackHeaders(rolledBack)),
    );
    caches.set(conn, cache);
  }
  return cache.get();
}

function prepare(body: string, own: Record<string, string>): DefaultsBody {
  const etag = etagOf(body);
  const raw = Buffer.from(body);
  const gzip = raw.length >= MIN_COMPRESS_BYTES ? gzipSync(raw, { level: 4 }) : null;
  const written = (https: boolean): Written => {
    const common = {
      ...API_HEADERS,
      ...own,
      ETag: etag,
      "Cache-Control": DEFAULTS_CACHE_CONTROL,
    };
    const type = "application/json; charset=utf-8";
    const security = securityHeaders(type, { nonce: "", https });
    return {
      plain: { ...common, "Content-Type": type, ...security, "Content-Length": raw.length },
      gzipped: gzip && {
        ...common,
        "Content-Type": type,
        ...security,
        "Content-Encoding": "gzip",
        Vary: "Accept-Encoding",
        "Content-Length": gzip.length,
      },
      notModified: { ...common, ...securityHeaders("", { nonce: "", https }) },
    };
  };
  return { body, etag, headers: own, raw, gzip, written: { http: written(false), https: written(true) } };
}

/**
 * GET /api/symbols/defaults without a token, written straight to the socket (console-server.ts
 * `direct`): before returning (true) when the connection is open and the body kept (nearly every
 * request), without waiting for a promise of either.
 */
export function sendDefaults(
  conn: DbConnection | Promise<DbConnection>,
  req: IncomingMessage,
  res: ServerResponse,
  https: boolean,
): Promise<void> | true {
  const kept = conn instanceof Promise ? undefined : caches.get(conn)?.peek();
  if (kept) {
    try {
      write(kept, req, res, https);
      return true;
    } catch (error) {
      // As the async path would: the caller answers it on the usual path.
      return Promise.reject(error);
    }
  }
  return (async () => write(await defaultsBody(await conn), req, res, https))();
}

function write(answer: DefaultsBody, req: IncomingMessage, res: ServerResponse, https: boolean): void {
  const written = https ? answer.written.https : answer.written.http;
  if (etagMatches(req.headers["if-none-match"] ?? null, answer.etag)) {
    res.writeHead(304, written.notModified).end();
  } else if (written.gzipped && acceptsEncoding(req.headers["accept-encoding"], "gzip")) {
    res.writeHead(200, written.gzipped).end(answer.gzip);
  } else {
    res.writeHead(200, written.plain).end(answer.raw);
  }
}
