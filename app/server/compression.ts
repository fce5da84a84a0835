// When a body is compressed: the client accepts the coding (RFC 9110 §12.5.3: "gzip;q=0" refuses
// gzip, and a coding not named is acceptable only through "*"), and the body is large enough.

/** A smaller body fits in one TCP segment anyway: compressing it saves nothing on the wire. */
export const MIN_COMPRESS_BYTES = 1400;

/** Text, JSON and SVG shrink; images, fonts and archives are compressed already. */
export const isCompressibleType = (contentType: string): boolean =>
  /^(text\/|application\/json|image\/svg)/.test(contentType);

export function acceptsEncoding(header: string | string[] | undefined, coding: "gzip" | "br"): boolean {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  let wildcard: boolean | null = null;
  for (const part of value.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    const accepted = Number.isFinite(weight) && weight > 0;
    if (name === coding) return accepted;
    if (name === "*") wildcard = accepted;
  }
  return wildcard ?? false;
}
