import { createHash } from "node:crypto";

// Strong ETags derived from the response body itself: any change to the rows (a default added by
// staff, a new price, a reorder) changes the tag, so a revalidating client sees it at once.

export const etagOf = (body: string): string =>
  `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;

/** If-None-Match holds `etag` (or "*"); weak comparison, as RFC 9110 prescribes for GET. */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((candidate) => opaque(candidate) === opaque(etag));
}
