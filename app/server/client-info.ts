import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import type { TLSSocket } from "node:tls";

// Who is at the other end and over which scheme. By default both come from the socket: the
// X-Forwarded-* headers are the client's to write, so believing them lets anyone pick an address
// (and slip past a throttle keyed on it) or claim https. With TRUST_PROXY they are believed for
// the proxies it names, read from the right: each trusted hop appended the address it saw, so
// the first address from the right that is not a trusted proxy is the client.

/** A hop count (the nearest N are proxies), or the addresses of the proxies. */
export type TrustProxy = number | readonly string[];

export interface ClientInfo {
  address: string;
  scheme: "http" | "https";
}

/** "::ffff:10.0.0.1" and "10.0.0.1" are one address. */
export const normalizeAddress = (address: string): string => {
  const trimmed = address.trim().toLowerCase();
  return trimmed.startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
};

function headerList(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(",") : (value ?? "");
  return joined
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

export function clientInfo(req: IncomingMessage, trust: TrustProxy): ClientInfo {
  const socketAddress = normalizeAddress(req.socket.remoteAddress ?? "unknown");
  const socketScheme = (req.socket as TLSSocket).encrypted ? "https" : "http";
  const trusted = typeof trust === "number" ? null : new Set(trust.map(normalizeAddress));
  const hops = typeof trust === "number" ? trust : Number.POSITIVE_INFINITY;
  if (hops === 0 || (trusted && !trusted.has(socketAddress))) return { address: socketAddress, scheme: socketScheme };

  // The chain as the nearest proxy saw it: the client first, each proxy after it, then the socket.
  const chain = [...headerList(req.headers["x-forwarded-for"]).map(normalizeAddress), socketAddress];
  const protos = headerList(req.headers["x-forwarded-proto"]).map((p) => p.toLowerCase());
  let index = chain.length - 1;
  let passed = 0;
  // Step left over trusted proxies; the address they were handed the request by is the client.
  while (index > 0 && passed < hops && (trusted === null || trusted.has(chain[index]!))) {
    index--;
    passed++;
  }
  const address = isIP(chain[index]!) ? chain[index]! : socketAddress;
  // Each proxy appends the scheme it was reached over; the outermost trusted one's is the client's.
  const proto = passed > 0 ? protos[Math.max(0, protos.length - passed)] : undefined;
  const scheme = proto === "https" || proto === "http" ? proto : socketScheme;
  return { address, scheme };
}
