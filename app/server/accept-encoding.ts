// Which content codings a request accepts, by RFC 9110 §12.5.3: "gzip;q=0" refuses gzip, and a
// coding not named is acceptable only through "*".

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
