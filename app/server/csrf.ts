import type { IncomingMessage } from "node:http";

// Cross-site request forgery: a state-changing request that carries the session cookie is
// served only when the browser says it comes from the console's own pages. Browsers send Origin
// on every cross-site POST; without it, Sec-Fetch-Site, and without that, Referer. A request
// with none of the three and the cookie is refused too: every browser that keeps our cookie
// sends at least one. Sign-in and setup (no cookie yet) are refused only for a foreign Origin.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type CsrfVerdict = { ok: true } | { ok: false; reason: string };

function originOf(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

export function checkCsrf(req: IncomingMessage, ownOrigin: string, sessionCookies: readonly string[]): CsrfVerdict {
  if (SAFE_METHODS.has(req.method ?? "GET")) return { ok: true };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    return origin === ownOrigin ? { ok: true } : { ok: false, reason: `the request came from ${origin.slice(0, 100)}` };
  }
  const cookie = req.headers.cookie ?? "";
  const names = cookie.split(";").map((part) => part.trim().split("=")[0]);
  if (!names.some((name) => name !== undefined && sessionCookies.includes(name))) return { ok: true };
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string") {
    return site === "same-origin" ? { ok: true } : { ok: false, reason: `the request came from a ${site} page` };
  }
  const referer = req.headers.referer;
  if (referer !== undefined) {
    return originOf(referer) === ownOrigin ? { ok: true } : { ok: false, reason: "the request came from another site" };
  }
  return { ok: false, reason: "the request does not say which page it came from" };
}
