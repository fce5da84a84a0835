import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { issueApiToken } from "#db/repositories/api-tokens";
import { createEndUser, raisePrice, setDefaultFlag } from "#db/test/api-fixtures";
import { forEachEngine } from "#db/test/engines";
import { eventually } from "#db/test/eventually";
import { errorResponse } from "./errors.server";
import { bearer, call, errorOf, useTestDatabase } from "./test-harness";

// The public half of the API on both engines: defaults (ETag, 304, a staff change visible at
// once), search, the OpenAPI document, and the JSON errors of unknown paths and methods.

const DEFAULT_TICKERS = [
  "BTCUSDT",
  "ETHUSDT",
  "XRPUSDT",
  "SOLUSDT",
  "AVAXUSDT",
  "SUIUSDT",
  "ENAUSDT",
  "UNIUSDT",
  "BNBUSDT",
];

forEachEngine("symbol API: defaults, search, document", ({ conn }) => {
  beforeEach(() => useTestDatabase(conn));

  test("anonymous users get the nine defaults in order, with an ETag and no-cache", async () => {
    const response = await call("GET", "/api/symbols/defaults");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("Content-Type")!, /^application\/json/);
    assert.equal(response.headers.get("Cache-Control"), "public, no-cache");
    assert.match(response.headers.get("ETag")!, /^"[A-Za-z0-9_-]{27}"$/);
    const body = (await response.json()) as { symbols: Array<{ ticker: string }> };
    assert.deepEqual(
      body.symbols.map((s) => s.ticker),
      DEFAULT_TICKERS,
    );
  });

  test("If-None-Match with the current ETag gives 304 and no body; a staff change gives a new ETag once announced", async () => {
    const first = await call("GET", "/api/symbols/defaults");
    const etag = first.headers.get("ETag")!;
    const unchanged = await call("GET", "/api/symbols/defaults", { headers: { "If-None-Match": etag } });
    assert.equal(unchanged.status, 304);
    assert.equal(await unchanged.text(), "");
    assert.equal(unchanged.headers.get("ETag"), etag);
    const weak = await call("GET", "/api/symbols/defaults", { headers: { "If-None-Match": `"other", W/${etag}` } });
    assert.equal(weak.status, 304, "a weak or listed tag matches too");

    // Staff take XRP out of the defaults, as the console would. The body is kept in memory until
    // the database's notification of the change arrives (on the server, over another session).
    const statusFor = async (tag: string) =>
      (await call("GET", "/api/symbols/defaults", { headers: { "If-None-Match": tag } })).status;
    await setDefaultFlag(conn.db, "XRPUSDT", false);
    try {
      await eventually(async () => (await statusFor(etag)) === 200, "the old ETag to stop matching", {
        timeoutMs: 2_000,
        everyMs: 2,
      });
      const changed = await call("GET", "/api/symbols/defaults", { headers: { "If-None-Match": etag } });
      assert.notEqual(changed.headers.get("ETag"), etag);
      const body = (await changed.json()) as { symbols: Array<{ ticker: string }> };
      assert.ok(!body.symbols.some((s) => s.ticker === "XRPUSDT"));
    } finally {
      await setDefaultFlag(conn.db, "XRPUSDT", true);
    }
    await eventually(async () => (await statusFor(etag)) === 304, "the same rows to give the same ETag again", {
      timeoutMs: 2_000,
      everyMs: 2,
    });
  });

  test("a price change also changes the ETag", async () => {
    const etag = (await call("GET", "/api/symbols/defaults")).headers.get("ETag")!;
    await raisePrice(conn.db, "BTCUSDT");
    await eventually(
      async () => (await call("GET", "/api/symbols/defaults", { headers: { "If-None-Match": etag } })).status === 200,
      "a new ETag after the price change",
      { timeoutMs: 2_000, everyMs: 2 },
    );
  });

  test("search finds by ticker prefix and by name, filters, and echoes the query", async () => {
    const short = await call("GET", "/api/symbols/search?q=bt");
    assert.equal(short.status, 200);
    const shortBody = (await short.json()) as { symbols: Array<{ ticker: string }>; query: { limit: number } };
    assert.equal(shortBody.symbols[0]?.ticker, "BTCUSDT");
    assert.equal(shortBody.query.limit, 20);

    const byName = (await (
      await call("GET", "/api/symbols/search?q=ethereum&assetClass=crypto&market=BINANCE&limit=5")
    ).json()) as {
      symbols: Array<{ ticker: string; market: string; assetClass: string }>;
      query: { assetClass: string; market: string };
    };
    assert.deepEqual(
      byName.symbols.map((s) => s.ticker),
      ["ETHUSDT"],
    );
    assert.equal(byName.query.assetClass, "CRYPTO", "codes are case-insensitive");
    const wrongMarket = (await (await call("GET", "/api/symbols/search?q=ethereum&market=BIST")).json()) as {
      symbols: unknown[];
    };
    assert.deepEqual(wrongMarket.symbols, []);
  });

  test("search refuses a missing q, a limit over 50, and unknown or repeated parameters (400)", async () => {
    assert.deepEqual(Object.keys((await errorOf(await call("GET", "/api/symbols/search"), 400)).fields), ["q"]);
    const tooMany = await errorOf(await call("GET", "/api/symbols/search?q=btc&limit=51"), 400);
    assert.equal(tooMany.code, "invalid_parameter");
    assert.ok(tooMany.fields.limit);
    assert.ok((await errorOf(await call("GET", "/api/symbols/search?q=btc&sort=price"), 400)).fields.sort);
    assert.ok((await errorOf(await call("GET", "/api/symbols/search?q=btc&q=eth"), 400)).fields.q);
  });

  test("the OpenAPI document describes all six endpoints and the reorder", async () => {
    const response = await call("GET", "/api/openapi.json");
    assert.equal(response.status, 200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(doc.openapi, "3.1.0");
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    assert.deepEqual(operations.sort(), [
      "DELETE /api/users/{userId}/symbols/{symbolId}",
      "GET /api/symbols/defaults",
      "GET /api/symbols/search",
      "GET /api/users/{userId}/symbols",
      "POST /api/users/{userId}/symbols",
      "PUT /api/users/{userId}/symbols/order",
      "PUT /api/users/{userId}/symbols/{symbolId}",
    ]);
  });

  test("unknown paths and methods under /api answer JSON 404 and 405, never HTML", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const notFound = await errorOf(await call(method, "/api/nothing/here"), 404);
      assert.equal(notFound.code, "not_found");
    }
    const wrongMethod = await call("POST", "/api/symbols/defaults", { json: {} });
    assert.equal(wrongMethod.headers.get("Allow"), "GET, HEAD");
    assert.equal((await errorOf(wrongMethod, 405)).code, "method_not_allowed");
  });

  test("a token sent to a public endpoint is checked: an invalid one is 401, a valid one counts", async () => {
    assert.equal(
      (await errorOf(await call("GET", "/api/symbols/defaults", { headers: bearer("sdk_forged") }), 401)).code,
      "unauthorized",
    );
    const userId = await createEndUser(conn.db, "public-reader@example.com");
    const { token } = await issueApiToken(conn.db, userId, "reader");
    const ok = await call("GET", "/api/symbols/search?q=sol", { headers: bearer(token) });
    assert.equal(ok.status, 200);
    assert.ok(ok.headers.get("RateLimit-Remaining"));
  });

  test("an unexpected error becomes a plain JSON 500 without a stack trace", async () => {
    const original = console.error;
    console.error = () => {};
    try {
      const response = errorResponse(
        new Error("boom at secretFunction (/srv/app.js:1:1)"),
        new Request("http://desk.test/api/x"),
      );
      const error = await errorOf(response, 500);
      assert.equal(error.code, "internal_error");
      assert.ok(!JSON.stringify(error).includes("secretFunction"));
    } finally {
      console.error = original;
    }
  });
});
