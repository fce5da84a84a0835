import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { issueApiToken, listApiTokens, revokeApiToken } from "#db/repositories/api-tokens";
import { createEndUser, symbolIdOf } from "#db/test/api-fixtures";
import { forEachEngine } from "#db/test/engines";
import { eventually } from "#db/test/eventually";
import { MAX_BODY_BYTES } from "./input.server";
import { configureApiRateLimit, flushApiRequests } from "#db/security/throttle";
import { bearer, call, errorOf, staffCookie, useTestDatabase } from "./test-harness";

// Who may do what, and what the API refuses before touching the database, on both engines:
// 401 without or with a bad token, 403 on another user's id (IDOR), staff read-only, 400 bad ids,
// 413 oversize bodies (declared and streamed), 415 content types, 429 per token.

forEachEngine("symbol API: access and input limits", ({ conn }) => {
  let alice = "";
  let bob = "";
  let aliceAuth: Record<string, string> = {};
  let btc = "";
  let eth = "";

  before(async () => {
    alice = await createEndUser(conn.db, "alice@example.com");
    bob = await createEndUser(conn.db, "bob@example.com");
    aliceAuth = bearer((await issueApiToken(conn.db, alice, "alice's phone")).token);
    btc = await symbolIdOf(conn.db, "BTCUSDT");
    eth = await symbolIdOf(conn.db, "ETHUSDT");
  });
  beforeEach(() => useTestDatabase(conn));
  after(() => configureApiRateLimit("reset-to-env"));

  test("no token is 401 with a Bearer challenge; a forged, revoked or malformed one is 401 too", async () => {
    const anonymous = await call("GET", `/api/users/${alice}/symbols`);
    assert.match(anonymous.headers.get("WWW-Authenticate")!, /^Bearer/);
    assert.equal((await errorOf(anonymous, 401)).code, "unauthorized");
    assert.equal((await call("GET", `/api/users/${alice}/symbols`, { headers: bearer("sdk_forged") })).status, 401);
    assert.equal(
      (await call("GET", `/api/users/${alice}/symbols`, { headers: { Authorization: "Basic YTpi" } })).status,
      401,
    );

    const spare = await issueApiToken(conn.db, alice, "to be revoked");
    assert.equal((await call("GET", `/api/users/${alice}/symbols`, { headers: bearer(spare.token) })).status, 200);
    await revokeApiToken(conn.db, spare.apiToken.id);
    // Token look-ups are kept in memory until the revocation is announced: refused within a second.
    let revoked = new Response();
    await eventually(
      async () => {
        revoked = await call("GET", `/api/users/${alice}/symbols`, { headers: bearer(spare.token) });
        return revoked.status === 401;
      },
      "the revoked token to be refused",
      { timeoutMs: 1_000 },
    );
    assert.match(revoked.headers.get("WWW-Authenticate")!, /invalid_token/);
  });

  test("IDOR: alice's token on bob's id is 403 for every method, leaks nothing, and changes nothing", async () => {
    await call("POST", `/api/users/${bob}/symbols`, {
      headers: bearer((await issueApiToken(conn.db, bob, "bob")).token),
      json: { symbolId: btc },
    });
    const attempts = [
      call("GET", `/api/users/${bob}/symbols`, { headers: aliceAuth }),
      call("POST", `/api/users/${bob}/symbols`, { headers: aliceAuth, json: { symbolId: eth } }),
      call("PUT", `/api/users/${bob}/symbols/${btc}`, { headers: aliceAuth, json: { isPinned: true } }),
      call("PUT", `/api/users/${bob}/symbols/order`, { headers: aliceAuth, json: { symbolIds: [btc] } }),
      call("DELETE", `/api/users/${bob}/symbols/${btc}`, { headers: aliceAuth }),
      call("GET", `/api/users/00000000-0000-0000-0000-000000000000/symbols`, { headers: aliceAuth }),
    ];
    for (const response of await Promise.all(attempts)) {
      const text = await response.clone().text();
      assert.equal((await errorOf(response, 403)).code, "forbidden");
      assert.ok(!text.includes("BTCUSDT") && !text.includes(btc), "no data of bob's in the refusal");
    }
    const staff = await staffCookie(conn, "viewer", "idor-check@desk.test");
    const bobs = (await (await call("GET", `/api/users/${bob}/symbols`, { headers: staff })).json()) as {
      symbols: Array<{ ticker: string; preference: { isPinned: boolean } }>;
    };
    assert.deepEqual(
      bobs.symbols.map((s) => [s.ticker, s.preference.isPinned]),
      [["BTCUSDT", false]],
    );
  });

  test("staff sessions read any user (404 for an unknown one) but may not write", async () => {
    const staff = await staffCookie(conn, "admin", "reader@desk.test");
    assert.equal((await call("GET", `/api/users/${bob}/symbols`, { headers: staff })).status, 200);
    const unknown = await call("GET", "/api/users/00000000-0000-0000-0000-000000000000/symbols", { headers: staff });
    assert.equal((await errorOf(unknown, 404)).code, "not_found");
    const write = await call("POST", `/api/users/${bob}/symbols`, { headers: staff, json: { symbolId: eth } });
    assert.equal((await errorOf(write, 403)).code, "forbidden");
  });

  test("ids in the path must be UUIDs (400, field named)", async () => {
    const badUser = await errorOf(await call("GET", "/api/users/42/symbols", { headers: aliceAuth }), 400);
    assert.deepEqual([badUser.code, Object.keys(badUser.fields)], ["invalid_parameter", ["userId"]]);
    const badSymbol = await errorOf(
      await call("DELETE", `/api/users/${alice}/symbols/BTC'--`, { headers: aliceAuth }),
      400,
    );
    assert.deepEqual(Object.keys(badSymbol.fields), ["symbolId"]);
  });

  test("bodies must be JSON (415), parse (400) and fit in 16 KiB (413, declared or streamed)", async () => {
    const path = `/api/users/${alice}/symbols`;
    const form = await call("POST", path, {
      headers: { ...aliceAuth, "Content-Type": "application/x-www-form-urlencoded" },
      body: `symbolId=${eth}`,
    });
    assert.equal((await errorOf(form, 415)).code, "unsupported_media_type");
    assert.equal(
      (await call("POST", path, { headers: aliceAuth, body: JSON.stringify({ symbolId: eth }) })).status,
      415,
      "no type",
    );
    const latin1 = { ...aliceAuth, "Content-Type": "application/json; charset=iso-8859-1" };
    assert.equal((await call("POST", path, { headers: latin1, body: "{}" })).status, 415);

    const json = { ...aliceAuth, "Content-Type": "application/json" };
    assert.equal(
      (await errorOf(await call("POST", path, { headers: json, body: "{not json" }), 400)).code,
      "malformed_json",
    );
    assert.equal((await errorOf(await call("POST", path, { headers: json, body: "" }), 400)).code, "malformed_json");

    const big = JSON.stringify({ symbolId: eth, padding: "x".repeat(MAX_BODY_BYTES) });
    assert.equal(
      (
        await errorOf(
          await call("POST", path, { headers: { ...json, "Content-Length": String(big.length) }, body: big }),
          413,
        )
      ).code,
      "payload_too_large",
    );
    const chunk = new TextEncoder().encode("x".repeat(4096));
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        if (sent > 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    assert.equal(
      (await call("POST", path, { headers: json, body: endless })).status,
      413,
      "a streamed body is cut off too",
    );
    assert.ok(sent < 64 * 1024, `reading stopped soon after the limit (read ${sent} bytes)`);
  });

  test("each token has its own rate limit: 429 with Retry-After, other tokens unaffected", async () => {
    configureApiRateLimit({ limit: 3, windowMs: 60_000 });
    const path = `/api/users/${alice}/symbols`;
    for (let i = 0; i < 3; i++) assert.equal((await call("GET", path, { headers: aliceAuth })).status, 200);
    const limited = await call("GET", path, { headers: aliceAuth });
    assert.equal((await errorOf(limited.clone(), 429)).code, "rate_limited");
    const retryAfter = Number(limited.headers.get("Retry-After"));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    const other = bearer((await issueApiToken(conn.db, alice, "second device")).token);
    assert.equal((await call("GET", path, { headers: other })).status, 200);
    configureApiRateLimit("reset-to-env");
  });

  test("requests counted in memory reach the shared count in PostgreSQL", async () => {
    configureApiRateLimit({ limit: 100, windowMs: 60_000 });
    const token = await issueApiToken(conn.db, alice, "counted");
    for (let i = 0; i < 4; i++) {
      const answer = await call("GET", `/api/users/${alice}/symbols`, { headers: bearer(token.token) });
      assert.equal(answer.headers.get("RateLimit-Remaining"), String(100 - i - 1));
    }
    await flushApiRequests(conn.db);
    const row = await conn.db
      .selectFrom("api_rate_windows")
      .select("requests")
      .where("token_id", "=", token.apiToken.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.requests, 4);
    configureApiRateLimit("reset-to-env");
  });

  test("using a token records when it was last used", async () => {
    const tokens = await listApiTokens(conn.db, alice);
    assert.ok(tokens.find((t) => t.label === "alice's phone")?.lastUsedAt instanceof Date);
  });
});
