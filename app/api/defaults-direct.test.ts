import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, test } from "node:test";
import { forEachEngine } from "#db/test/engines";
import { createConsoleServer } from "~/server/console-server";
import { api, useTestDatabase } from "./test-harness";

// GET /api/symbols/defaults without a token is written from memory at the socket; the same
// request with a query string takes the usual path (URL, limits, Fetch, route). Both must answer
// alike: status, body and every header but the date, for a 200 and for a 304.

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, headers }, (res) => {
        let body = "";
        res.setEncoding("latin1");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          const { date: _date, connection: _connection, "keep-alive": _keepAlive, ...rest } = res.headers;
          resolve({ status: res.statusCode!, headers: rest as Record<string, string>, body });
        });
      })
      .on("error", reject);
  });
}

forEachEngine("the defaults answered from memory", ({ conn }) => {
  let server: http.Server;
  let port = 0;
  let direct = 0;

  before(async () => {
    server = createConsoleServer({
      handle: async (request) => (await api.handle(request)) ?? new Response("not an API route", { status: 404 }),
      isApi: api.matches,
      direct: (target, req, res, https) => {
        const answering = api.direct(target, req, res, https);
        if (answering) direct++;
        return answering;
      },
      maxInProgress: 8,
      maxPerClient: 8,
      trustProxy: 0,
      sessionCookies: [],
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => useTestDatabase(conn));
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test("a 200 and a 304 from memory carry the body and headers the usual path sends", async () => {
    for (const extra of [{}, { "Accept-Encoding": "gzip" }] as Record<string, string>[]) {
      const before = direct;
      const fromMemory = await get(port, "/api/symbols/defaults", extra);
      assert.equal(direct, before + 1, "answered from memory");
      const usual = await get(port, "/api/symbols/defaults?via=usual", extra);
      assert.equal(direct, before + 1, "a query string takes the usual path");
      assert.equal(fromMemory.status, 200);
      assert.deepEqual(fromMemory, usual);
      assert.equal(fromMemory.headers["x-content-type-options"], "nosniff");
      assert.equal(fromMemory.headers["referrer-policy"], "strict-origin-when-cross-origin");

      const etag = fromMemory.headers.etag!;
      const notModified = await get(port, "/api/symbols/defaults", { ...extra, "If-None-Match": etag });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.body, "");
      assert.deepEqual(notModified, await get(port, "/api/symbols/defaults?via=usual", { "If-None-Match": etag }));
    }
  });

  test("a request with a token or a bad Host is left to the usual path", async () => {
    const before = direct;
    const withToken = await get(port, "/api/symbols/defaults", { Authorization: "Bearer sdk_unknown" });
    assert.equal(withToken.status, 401);
    const badHost = await get(port, "/api/symbols/defaults", { Host: "bad host!" });
    assert.equal(badHost.status, 400);
    assert.equal(direct, before, "none was answered from memory");
  });
});
