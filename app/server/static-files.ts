import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { acceptsEncoding, isCompressibleType, MIN_COMPRESS_BYTES } from "./compression";

// The static files (the client build and public/), read into memory once at start-up: they are
// a megabyte or two and never change while the process runs, so a request for one costs a map
// look-up, not a stat and a read. Text files are compressed once here, not on every request.

interface StaticFile {
  type: string;
  cacheControl: string;
  etag: string;
  identity: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

function* walk(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

function load(file: string, cacheControl: string): StaticFile {
  const identity = readFileSync(file);
  const type = TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
  const compress = isCompressibleType(type) && identity.length >= MIN_COMPRESS_BYTES;
  return {
    type,
    cacheControl,
    etag: `"${createHash("sha1").update(identity).digest("base64url")}"`,
    identity,
    gzip: compress ? gzipSync(identity, { level: 9 }) : null,
    br: compress ? brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }) : null,
  };
}

export interface StaticRoot {
  /** The folder on disk. */
  dir: string;
  /** The URL path it is served under, e.g. "/build/". */
  urlPrefix: string;
  cacheControl: string;
}

export type StaticHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

/** Serves the files under `roots` (the first root that has a path wins); false when none has it. */
export function createStaticHandler(roots: StaticRoot[]): StaticHandler {
  const files = new Map<string, StaticFile>();
  for (const root of roots) {
    for (const file of walk(root.dir)) {
      const urlPath = root.urlPrefix + path.relative(root.dir, file).split(path.sep).join("/");
      if (!files.has(urlPath)) files.set(urlPath, load(file, root.cacheControl));
    }
  }

  return (request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") return false;
    const rawPath = request.url?.split("?", 1)[0] ?? "/";
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(rawPath);
    } catch {
      return false;
    }
    const file = files.get(urlPath);
    if (!file) return false;

    const headers: Record<string, string> = {
      "Content-Type": file.type,
      "Cache-Control": file.cacheControl,
      ETag: file.etag,
      "X-Content-Type-Options": "nosniff",
    };
    if (file.gzip) headers.Vary = "Accept-Encoding";
    if (request.headers["if-none-match"] === file.etag) {
      response.writeHead(304, headers).end();
      return true;
    }
    const accepts = request.headers["accept-encoding"];
    let body = file.identity;
    if (file.br && acceptsEncoding(accepts, "br")) {
      body = file.br;
      headers["Content-Encoding"] = "br";
    } else if (file.gzip && acceptsEncoding(accepts, "gzip")) {
      body = file.gzip;
      headers["Content-Encoding"] = "gzip";
    }
    headers["Content-Length"] = String(body.length);
    response.writeHead(200, headers);
    response.end(request.method === "HEAD" ? undefined : body);
    return true;
  };
}
