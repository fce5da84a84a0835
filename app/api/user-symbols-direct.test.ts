import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { issueApiToken } from "#db/repositories/api-tokens";
import { addUserSymbol } from "#db/repositories/user-preferences";
import { configureApiRateLimit } from "#db/security/throttle";
import { createEndUser } from "#db/test/api-fixtures";
import { forEachEngine } from "#db/test/engines";
import { MIN_COMPRESS_BYTES } from "~/server/compression";
import { type Answer, type DirectTestServer, startDirectTestServer } from "./direct-test-server";
import { bearer, staffCookie, useTestDatabase } from "./test-harness";

// GET /api/users/{id}/symbols with a token is answered from the socket (the route's `direct`);
// the same request with a query string takes the usual path (URL, limits, Fetch, route). Both
// must answer alike, status, headers and body, for a list, each refusal and a rate limit.

/**
 * The two answers with the rate-limit figures that may rightly differ made equal: the second
 * request has one request fewer left, and the window's reset may tick a second in between.
 */
function comparable(direct: Answer, usual: Answer): [Answer, Answer] {
  const remaining = [direct, usual].map((a) => a.headers["ratelimit-remaining"]);
  if (remaining[0] !== undefined && remaining[0] !== "0") {
    assert.equal(Number(remaining[1]), Number(remaining[0]) - 1, "the usual request was counted too");
  }
  const resets = [direct, usual].map((a) => Number(a.headers["ratelimit-reset"] ?? 0));
  assert.ok(Math.abs(resets[0]! - resets[1]!) <= 1, `resets ${resets.join(" and ")}`);
  const steady = (a: Answer): Answer => {
    const headers = { ...a.headers };
    for (const name of ["ratelimit-remaining", "ratelimit-reset", "retry-after"])
      if (name in headers) headers[name] = "n";
    return { ...a, headers, body: a.body.replace(/Try again in \d+ s/, "Try again in n s") };
  };
  return [steady(direct), steady(usual)];
}

forEachEngine("a user's list answered from the socket", ({ conn }) => {
  let server: DirectTestServer;
  let userId = "";
  let otherId = "";
  let auth: Record<string, string> = {};

  /** The same GET directly and the usual way; asserts which path each took. */
  async function bothWays(path: string, headers: Record<string, string>): Promise<[Answer, Answer]> {
    const before = server.direct;
    const direct = await server.get(path, headers);
    assert.equal(server.direct, before + 1, "answered from the socket");
    const usual = await server.get(`${path}?via=usual`, headers);
    assert.equal(server.direct, before + 1, "a query string takes the usual path");
    return [direct, usual];
  }

  before(async () => {
    server = await startDirectTestServer();
    userId = await createEndUser(conn.db, "direct-owner@example.com");
    otherId = await createEndUser(conn.db, "direct-other@example.com");
    auth = bearer((await issueApiToken(conn.db, userId, "tests")).token);
    // Enough symbols for the list to be gzipped when the client accepts it.
    const symbols = await conn.db
      .selectFrom("symbols")
      .select("id")
      .where("is_active", "=", true)
      .orderBy("ticker")
      .limit(14)
      .execute();
    for (const { id } of symbols) await addUserSymbol(conn.db, userId, { symbolId: id });
  });
  beforeEach(() => {
    useTestDatabase(conn);
    configureApiRateLimit({ limit: 1000, windowMs: 60_000 });
  });
  after(async () => {
    configureApiRateLimit("reset-to-env");
    await server.close();
  });

  test("the list, plain and gzipped, is the usual path's to the byte", async () => {
    for (const extra of [{}, { "Accept-Encoding": "gzip" }] as Record<string, string>[]) {
      const [direct, usual] = await bothWays(`/api/users/${userId}/symbols`, { ...auth, ...extra });
      assert.equal(direct.status, 200);
      assert.deepEqual(...comparable(direct, usual));
      assert.equal(direct.headers["cache-control"], "no-store");
      assert.equal(direct.headers["referrer-policy"], "strict-origin-when-cross-origin");
      assert.equal(direct.headers["ratelimit-limit"], "1000");
      if ("Accept-Encoding" in extra) {
        assert.equal(direct.headers["content-encoding"], "gzip");
        assert.equal(direct.headers.vary, "Accept-Encoding");
      } else {
        assert.ok(direct.body.length >= MIN_COMPRESS_BYTES, "large enough to be gzipped when accepted");
        const body = JSON.parse(direct.body) as { userId: string; source: string; symbols: unknown[] };
        assert.deepEqual([body.userId, body.source, body.symbols.length], [userId, "preferences", 14]);
      }
    }
  });

  test("refusals: a malformed or unknown token (401), another user (403), a bad id (400)", async () => {
    const cases: [string, Record<string, string>, number][] = [
      [`/api/users/${userId}/symbols`, { Authorization: "Basic abc" }, 401],
      [`/api/users/${userId}/symbols`, bearer("sdk_unknown"), 401],
      [`/api/users/${otherId}/symbols`, auth, 403],
      [`/api/users/not-an-id/symbols`, auth, 400],
    ];
    for (const [path, headers, status] of cases) {
      const [direct, usual] = await bothWays(path, headers);
      assert.equal(direct.status, status, `${path} with ${JSON.stringify(headers)}`);
      assert.deepEqual(...comparable(direct, usual));
    }
  });

  test("past the token's rate limit: the same 429 with Retry-After", async () => {
    configureApiRateLimit({ limit: 2, windowMs: 60_000 });
    const path = `/api/users/${userId}/symbols`;
    for (let i = 0; i < 2; i++) assert.equal((await server.get(path, auth)).status, 200);
    const [direct, usual] = await bothWays(path, auth);
    assert.equal(direct.status, 429);
    assert.ok(Number(direct.headers["retry-after"]) >= 1);
    assert.deepEqual(...comparable(direct, usual));
  });

  test("staff sessions, anonymous callers and unusual requests take the usual path", async () => {
    const before = server.direct;
    const staff = await staffCookie(conn, "viewer", "direct-staff@example.com");
    const nobody = "00000000-0000-4000-8000-000000000000";
    assert.equal((await server.get(`/api/users/${nobody}/symbols`, staff)).status, 404);
    assert.equal((await server.get(`/api/users/${userId}/symbols`, staff)).status, 200);
    assert.equal((await server.get(`/api/users/${userId}/symbols`)).status, 401);
    // Node keeps the first of two Authorization headers; the usual path joins them, and refuses.
    const twice = { Authorization: [auth.Authorization!, auth.Authorization!] };
    assert.equal((await server.get(`/api/users/${userId}/symbols`, twice)).status, 401);
    // Paths the URL parser would change: an escaped id, a dot segment.
    const escaped = `/api/users/%${userId.charCodeAt(0).toString(16)}${userId.slice(1)}/symbols`;
    assert.equal((await server.get(escaped, auth)).status, 200);
    assert.equal((await server.get(`/api/users/${userId}/x/../symbols`, auth)).status, 200);
    assert.equal(server.direct, before, "none was answered from the socket");
  });
});
