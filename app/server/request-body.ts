import type { IncomingMessage } from "node:http";

// A request's body, read whole before the request takes a place among those in progress, and
// never past its limit: a declared Content-Length over it is refused before a byte is read, and a
// body that grows over it as it arrives (chunked, or a Content-Length that lies) is refused the
// moment it does. A client that trickles its body holds a connection, not a place; the server's
// request timeout drops it.

/** Forms of the console. */
export const MAX_FORM_BYTES = 64 * 1024;
/** JSON bodies of the symbol API. */
export const MAX_API_BODY_BYTES = 16 * 1024;
/** A user's whole preference list, edited on the user's preview page. */
export const MAX_PREFERENCES_FORM_BYTES = 256 * 1024;

export function bodyLimitFor(pathname: string, isApi: boolean): number {
  if (isApi) return MAX_API_BODY_BYTES;
  return /^\/users\/[^/]+\/preview(\.data)?$/.test(pathname) ? MAX_PREFERENCES_FORM_BYTES : MAX_FORM_BYTES;
}

export type BodyResult = { ok: true; body: Buffer | null } | { ok: false; reason: "too-large" | "aborted" };

const hasBody = (req: IncomingMessage) =>
  req.method !== "GET" && req.method !== "HEAD" && (req.headers["content-length"] !== undefined || isChunked(req));

const isChunked = (req: IncomingMessage) => /\bchunked\b/i.test(req.headers["transfer-encoding"] ?? "");

export function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  if (!hasBody(req)) return Promise.resolve({ ok: true, body: null });
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) return Promise.resolve({ ok: false, reason: "too-large" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (result: BodyResult) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        // Stop reading: what is still in flight is discarded with the connection after the 413.
        req.pause();
        finish({ ok: false, reason: "too-large" });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, received) });
    const onAbort = () => finish({ ok: false, reason: "aborted" });
    const onClose = () => {
      if (!req.complete) onAbort();
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("close", onClose);
  });
}
