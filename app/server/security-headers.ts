import { randomBytes } from "node:crypto";

// Headers every dynamic answer carries. Pages get a Content-Security-Policy whose script-src is
// 'self' plus a nonce made for that one response: Remix's inline scripts (the route context,
// the module loader, scroll restoration, streamed deferred data) carry it (app/entry.server.tsx,
// app/root.tsx), and a script injected through some markup bug does not. Styles may be inline:
// React renders style attributes, and the policy's point is scripts.

export const newNonce = (): string => randomBytes(16).toString("base64");

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const HSTS = "max-age=31536000; includeSubDomains";

/** Headers for one answer; `nonce` only for answers that may be a page. */
export function securityHeaders(
  contentType: string,
  options: { nonce: string; https: boolean },
): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
  if (options.https) headers["Strict-Transport-Security"] = HSTS;
  if (/^text\/html/i.test(contentType)) {
    Object.assign(headers, {
      "Content-Security-Policy": contentSecurityPolicy(options.nonce),
      "X-Frame-Options": "DENY",
      "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
      "Cross-Origin-Opener-Policy": "same-origin",
    });
  }
  return headers;
}
