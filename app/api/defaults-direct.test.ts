import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { forEachEngine } from "#db/test/engines";
import { type DirectTestServer, startDirectTestServer } from "./direct-test-server";
import { useTestDatabase } from "./test-harness";

// GET /api/symbols/defaults without a token is written from memory at the socket; the same
// request with a query string takes the usual path (URL, limits, Fetch, route). Both must answer
// alike: status, body and every header but the date, for a 200 and for a 304.

forEachEngine("the defaults answered from memory", ({ conn }) => {
  let server: DirectTestServer;

  before(async () => {
    server = await startDirectTestServer();
  });
  beforeEach(() => useTestDatabase(conn));
  after(() => server.close());

  test("a 200 and a 304 from memory carry the body and headers the usual path sends", async () => {
    for (const extra of [{}, { "Accept-Encoding": "gzip" }] as Record<string, string>[]) {
      const before = server.direct;
      const fromMemory = await server.get("/api/symbols/defaults", extra);
      assert.equal(server.direct, before + 1, "answered from memory");
      const usual = await server.get("/api/symbols/defaults?via=usual", extra);
      assert.equal(server.direct, before + 1, "a query string takes the usual path");
      assert.equal(fromMemory.status, 200);
      assert.deepEqual(fromMemory, usual);
      assert.equal(fromMemory.headers["x-content-type-options"], "nosniff");
      assert.equal(fromMemory.headers["referrer-policy"], "strict-origin-when-cross-origin");

      const etag = fromMemory.headers.etag!;
      const notModified = await server.get("/api/symbols/defaults", { ...extra, "If-None-Match": etag });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.body, "");
      assert.deepEqual(notModified, await server.get("/api/symbols/defaults?via=usual", { "If-None-Match": etag }));
    }
  });

  test("a request with a token or a bad Host is left to the usual path", async () => {
    const before = server.direct;
    const withToken = await server.get("/api/symbols/defaults", { Authorization: "Bearer sdk_unknown" });
    assert.equal(withToken.status, 401);
    const badHost = await server.get("/api/symbols/defaults", { Host: "bad host!" });
    assert.equal(badHost.status, 400);
    assert.equal(server.direct, before, "none was answered from memory");
  });
});
