import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, it } from "node:test";
import { clientInfo } from "./client-info";

// TRUST_PROXY as proxy addresses: X-Forwarded-For is read from the right, over the listed proxies
// only, so an address the client wrote at the left is never taken for its own.

const request = (socket: string, headers: Record<string, string> = {}) =>
  ({
    socket: { remoteAddress: socket },
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
  }) as unknown as IncomingMessage;

describe("client address and scheme behind listed proxies", () => {
  const proxies = ["10.0.0.5", "10.0.0.6"];

  it("steps over every listed proxy, from the right, to the first address that is not one", () => {
    // The client wrote 203.0.113.7 itself; 10.0.0.5 saw 198.51.100.2 over https; 10.0.0.6 saw 10.0.0.5.
    const req = request("10.0.0.6", {
      "X-Forwarded-For": "203.0.113.7, 198.51.100.2, 10.0.0.5",
      "X-Forwarded-Proto": "https, http",
    });
    assert.deepEqual(clientInfo(req, proxies), { address: "198.51.100.2", scheme: "https" });
  });

  it("ignores the headers from any other socket, and knows an IPv4-mapped proxy address", () => {
    const headers = { "X-Forwarded-For": "198.51.100.2", "X-Forwarded-Proto": "https" };
    assert.deepEqual(clientInfo(request("192.0.2.44", headers), proxies), { address: "192.0.2.44", scheme: "http" });
    assert.deepEqual(clientInfo(request("::ffff:10.0.0.5", headers), proxies), {
      address: "198.51.100.2",
      scheme: "https",
    });
  });

  it("keeps the proxy's own address when the header holds no address", () => {
    assert.deepEqual(clientInfo(request("10.0.0.5", { "X-Forwarded-For": "not-an-address" }), proxies), {
      address: "10.0.0.5",
      scheme: "http",
    });
  });
});
