// The URL a request is handled under, made from parts that were checked, never by pasting the
// Host header in front of the path: a Host with a path, user info or odd characters in it
// ("127.0.0.1:3000/migrations?") would otherwise decide which page is rendered.

/** A Host header or request target that makes no URL. */
export class BadRequestError extends Error {}

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*\\.?|\\[[0-9a-f:.]+\\])(?::[0-9]{1,5})?$`, "i");

export function isValidHost(host: string): boolean {
  if (!HOST.test(host)) return false;
  const port = /:([0-9]+)$/.exec(host.startsWith("[") ? host.slice(host.indexOf("]")) : host)?.[1];
  return port === undefined || Number(port) <= 65_535;
}

/**
 * "scheme://host" for this request: `publicUrl`'s origin when one is configured, else the
 * scheme (from the socket or a trusted proxy) and the Host header, which must be a bare host[:port].
 */
export function requestOrigin(hostHeader: string | undefined, scheme: "http" | "https", publicUrl?: string): string {
  if (publicUrl) return new URL(publicUrl).origin;
  const host = hostHeader ?? "";
  if (!isValidHost(host)) throw new BadRequestError(`not a host: ${JSON.stringify(host.slice(0, 200))}`);
  return `${scheme}://${host.toLowerCase()}`;
}

/** The full URL of a request target in origin form ("/path?query"); anything else is refused. */
export function requestUrl(origin: string, target: string | undefined): string {
  const path = target ?? "/";
  if (!path.startsWith("/"))
    throw new BadRequestError(`not an origin-form target: ${JSON.stringify(path.slice(0, 200))}`);
  const url = `${origin}${path}`;
  // The target "//evil.example/x" is the path "//evil.example/x" here: the origin comes first.
  if (!URL.canParse(url) || new URL(url).origin !== origin)
    throw new BadRequestError(`not a URL: ${JSON.stringify(url.slice(0, 200))}`);
  return url;
}
