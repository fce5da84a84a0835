import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { createGzip, gzip, constants as zlib } from "node:zlib";
import { acceptsEncoding, isCompressibleType, MIN_COMPRESS_BYTES } from "./compression";
import { BadRequestError, requestOrigin, requestUrl } from "./request-url";

// node:http ⇄ the Fetch API that Remix speaks, without a framework in between: the request's
// headers are copied once, its body is streamed only for methods that have one, and a response
// body is written chunk by chunk as Remix streams it.

export { BadRequestError };

// The Request has no abort signal, even when its client goes away: Remix answers an aborted
// request at once and leaves its loaders running, unseen. The request would give up its place among
// those in progress (concurrency-limit.ts) while its queries went on, and a stop would close the
// database under them. No loader stops early on a signal anyway.
export interface FetchRequestOptions {
  /** The URL, made by the caller from a checked origin; by default from the Host header, over http. */
  url?: string;
  /** The body, already read whole (request-body.ts); without it the body is streamed from `req`. */
  body?: Buffer | null;
}

export function toFetchRequest(req: IncomingMessage, options: FetchRequestOptions = {}): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const url = options.url ?? requestUrl(requestOrigin(req.headers.host, "http"), req.url);

  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const body =
    options.body !== undefined
      ? options.body && { body: options.body }
      : hasBody && { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" };
  return new Request(url, { method, headers, ...(body || {}) } as RequestInit);
}

/**
 * Bodies that may arrive over time (deferred data of a client-side navigation): written as they
 * come. A document is rendered whole (entry.server.tsx) and sent as one.
 */
const STREAMED = /^(text\/x-script|text\/event-stream)/;
const gzipAsync = promisify(gzip);

/** A body of this type may be gzipped for this client: a compressible type it accepts gzip for. */
export const mayGzipType = (req: IncomingMessage, contentType: string): boolean =>
  isCompressibleType(contentType) && acceptsEncoding(req.headers["accept-encoding"], "gzip");

/** May be gzipped: a compressible type the client accepts gzip for, not already encoded. */
function mayGzip(req: IncomingMessage, response: Response): boolean {
  if (response.status === 204 || response.status === 304 || !response.body) return false;
  if (response.headers.has("Content-Encoding")) return false;
  const length = response.headers.get("Content-Length");
  if (length !== null && Number(length) < MIN_COMPRESS_BYTES) return false;
  return mayGzipType(req, response.headers.get("Content-Type") ?? "");
}

function copyHeaders(res: ServerResponse, response: Response, options: { dropLength: boolean }): void {
  for (const [name, value] of response.headers) {
    if (name === "set-cookie") continue;
    if (options.dropLength && name === "content-length") continue;
    res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
}

function markGzipped(res: ServerResponse): void {
  res.setHeader("Content-Encoding", "gzip");
  res.appendHeader("Vary", "Accept-Encoding");
}

/**
 * Ends the answer whose status and headers are set with `whole` as its body, in one write with a
 * Content-Length: gzipped when it may be (`compressible`) and is large enough to gain from it.
 */
export async function sendWholeBody(res: ServerResponse, whole: Buffer, compressible: boolean): Promise<void> {
  const gzipped = compressible && whole.length >= MIN_COMPRESS_BYTES;
  const body = gzipped ? await gzipAsync(whole, { level: 4 }) : whole;
  if (gzipped) markGzipped(res);
  res.setHeader("Content-Length", body.length);
  res.end(body);
}

export async function sendFetchResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  const compressible = mayGzip(req, response);
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;

  if (!response.body || req.method === "HEAD") {
    copyHeaders(res, response, { dropLength: false });
    res.end();
    return;
  }
  if (!STREAMED.test(response.headers.get("Content-Type") ?? "")) {
    // Documents, JSON and the like arrive whole: one write with a Content-Length, no chunked
    // framing, and compressed only when the body turns out large enough to gain from it.
    const whole = Buffer.from(await response.arrayBuffer());
    copyHeaders(res, response, { dropLength: true });
    return sendWholeBody(res, whole, compressible);
  }
  copyHeaders(res, response, { dropLength: compressible });
  if (compressible) markGzipped(res);
  // A stream arrives as bursts of small chunks. Each burst goes out as one write (and one
  // compressor call and flush): chunks are collected until the stream has nothing more within the
  // event-loop turn. A write, a compressor call and a flush per chunk cost a fifth of a page's CPU
  // when pages were streamed.
  const gzipStream = compressible ? createGzip({ level: 4 }) : null;
  if (gzipStream) gzipStream.pipe(res);
  const sink: NodeJS.WritableStream = gzipStream ?? res;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let unflushed = false;
  /** Writes what was collected; false when the sink asks to wait for 'drain'. */
  const writePending = (): boolean => {
    if (pendingBytes === 0) return true;
    const burst = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    unflushed = true;
    return sink.write(burst);
  };
  const reader = response.body.getReader();
  try {
    let next = reader.read();
    for (;;) {
      let result = await Promise.race([next, endOfTurn()]);
      if (result === IDLE) {
        const ready = writePending();
        if (gzipStream && unflushed) gzipStream.flush(zlib.Z_SYNC_FLUSH);
        unflushed = false;
        if (!ready) await drainedOrClosed(sink, res);
        result = await next;
      }
      if (result.done) break;
      pending.push(result.value);
      pendingBytes += result.value.byteLength;
      if (pendingBytes >= MAX_BURST_BYTES && !writePending()) await drainedOrClosed(sink, res);
      if (res.destroyed) {
        await reader.cancel();
        break;
      }
      next = reader.read();
    }
  } finally {
    reader.releaseLock();
    if (!res.destroyed) writePending();
    sink.end();
  }
}

/** A burst larger than this is written on without waiting for its end. */
const MAX_BURST_BYTES = 64 * 1024;

const IDLE = Symbol("idle");
/** Resolves after the work already queued in this event-loop turn (I/O callbacks included). */
const endOfTurn = () => new Promise<typeof IDLE>((resolve) => setImmediate(resolve, IDLE));

/** A slow reader's buffer emptied, or the client went away (then no 'drain' ever comes). */
function drainedOrClosed(sink: NodeJS.WritableStream, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      sink.off("drain", done);
      res.off("close", done);
      resolve();
    };
    sink.once("drain", done);
    res.once("close", done);
  });
}
