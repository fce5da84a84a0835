import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { before, beforeEach, test } from "node:test";
import { issueApiToken } from "#db/repositories/api-tokens";
import { createEndUser } from "#db/test/api-fixtures";
import { forEachEngine } from "#db/test/engines";
import { eventually } from "#db/test/eventually";
import { action, loader, type TokensAnswer } from "~/routes/users.$userId.tokens";
import { BASE, bearer, call, staffCookie, useTestDatabase } from "~/api/test-harness";

// /users/:userId/tokens, the staff side of tokens: viewers list, operators issue and revoke, and
// an issued secret works on the API at once and stops working once revoked.

async function outcome(
  run: () => Promise<Response>,
): Promise<{ status: number; data: TokensAnswer | null; location?: string | null }> {
  try {
    const response = await run();
    return { status: response.status, data: (await response.json()) as TokensAnswer };
  } catch (thrown) {
    if (thrown instanceof Response)
      return { status: thrown.status, data: null, location: thrown.headers.get("Location") };
    const init = (thrown as { init?: ResponseInit | null }).init;
    if (init?.status) return { status: init.status, data: null };
    throw thrown;
  }
}

forEachEngine("staff issue and revoke API tokens", ({ engine, conn }) => {
  let userId = "";
  let viewer: Record<string, string> = {};
  let operator: Record<string, string> = {};
  const post = (headers: Record<string, string>, form: Record<string, string>, id = userId) =>
    outcome(() =>
      action({
        request: new Request(`${BASE}/users/${id}/tokens`, {
          method: "POST",
          headers,
          body: new URLSearchParams(form),
        }),
        params: { userId: id },
        context: {},
      }),
    );
  const get = (headers: Record<string, string>, id = userId) =>
    outcome(() =>
      loader({ request: new Request(`${BASE}/users/${id}/tokens`, { headers }), params: { userId: id }, context: {} }),
    );

  before(async () => {
    useTestDatabase(conn);
    userId = await createEndUser(conn.db, "panel-user@example.com");
    viewer = await staffCookie(conn, "viewer", "panel-viewer@desk.test");
    operator = await staffCookie(conn, "operator", "panel-operator@desk.test");
  });
  beforeEach(() => useTestDatabase(conn));

  test("an operator issues a token shown once, which works on the API; revoking stops it", async () => {
    const issued = await post(operator, { intent: "issue", label: "iOS app" });
    assert.equal(issued.status, 200);
    const secret = issued.data!.issued!.token;
    assert.match(secret, /^sdk_/);
    assert.equal(issued.data!.tokens[0]!.label, "iOS app");
    assert.ok(!JSON.stringify(issued.data!.tokens).includes(secret), "the list never carries the secret");
    assert.equal((await call("GET", `/api/users/${userId}/symbols`, { headers: bearer(secret) })).status, 200);

    const listed = await get(viewer);
    assert.equal(listed.status, 200);
    assert.ok(listed.data!.tokens[0]!.lastUsedAt, "the list shows when it was last used");
    assert.equal(listed.data!.issued, undefined);

    const revoked = await post(operator, { intent: "revoke", tokenId: issued.data!.issued!.id });
    assert.equal(revoked.status, 200);
    assert.ok(revoked.data!.tokens[0]!.revokedAt);
    await eventually(
      async () => (await call("GET", `/api/users/${userId}/symbols`, { headers: bearer(secret) })).status === 401,
      "the API to refuse the revoked token",
      { timeoutMs: 1_000 },
    );
  });

  test("viewers may list but not issue; anonymous visitors are sent to sign-in", async () => {
    assert.equal((await post(viewer, { intent: "issue", label: "nope" })).status, 403);
    const anonymous = await get({});
    assert.equal(anonymous.status, 302);
    assert.match(anonymous.location!, /^\/login/);
  });

  test("a missing label is 400 beside the field; another user's token or an unknown user is 404", async () => {
    const blank = await post(operator, { intent: "issue", label: "  " });
    assert.equal(blank.status, 400);
    assert.ok(blank.data!.fieldErrors!.label);
    const otherUser = await createEndUser(conn.db, "panel-other@example.com");
    const foreign = await issueApiToken(conn.db, otherUser, "theirs");
    assert.equal((await post(operator, { intent: "revoke", tokenId: foreign.apiToken.id })).status, 404);
    assert.equal(
      (await call("GET", `/api/users/${otherUser}/symbols`, { headers: bearer(foreign.token) })).status,
      200,
      "untouched",
    );
    assert.equal((await get(viewer, "00000000-0000-0000-0000-000000000000")).status, 404);
    assert.equal(
      (await post(operator, { intent: "issue", label: "x" }, "00000000-0000-0000-0000-000000000000")).status,
      404,
    );
    assert.equal((await get(viewer, "not-a-uuid")).status, 404);
  });

  test("an operator gives a token an expiry, shown in the list; once past it the API answers 401", async () => {
    const issued = await post(operator, { intent: "issue", label: "CI job", expiresIn: "30d" });
    assert.equal(issued.status, 200);
    const listed = issued.data!.tokens.find((t) => t.id === issued.data!.issued!.id)!;
    const expiresInMs = new Date(listed.expiresAt!).getTime() - Date.now();
    assert.ok(Math.abs(expiresInMs - 30 * 86_400_000) < 60_000, `expires in 30 days, not ${expiresInMs} ms`);
    assert.equal(listed.expired, false);
    const secret = issued.data!.issued!.token;
    assert.equal((await call("GET", `/api/users/${userId}/symbols`, { headers: bearer(secret) })).status, 200);

    await conn.db
      .updateTable("api_tokens")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", listed.id)
      .execute();
    // Token look-ups are kept in memory; an expiry moved in the database is announced and the
    // token refused within a second.
    await eventually(
      async () => (await call("GET", `/api/users/${userId}/symbols`, { headers: bearer(secret) })).status === 401,
      "the API to refuse the expired token",
      { timeoutMs: 1_000 },
    );
    const after = (await get(viewer)).data!.tokens.find((t) => t.id === listed.id)!;
    assert.equal(after.expired, true, "the list says it has expired");

    const never = await post(operator, { intent: "issue", label: "no expiry", expiresIn: "" });
    assert.equal(never.data!.tokens.find((t) => t.id === never.data!.issued!.id)!.expiresAt, null);
    for (const expiresIn of ["30", "0d", "tomorrow", "99999d"]) {
      const bad = await post(operator, { intent: "issue", label: "bad expiry", expiresIn });
      assert.equal(bad.status, 400, expiresIn);
      assert.match(bad.data!.fieldErrors!.expiresIn ?? "", /days or hours/);
    }
  });

  // The command line opens its own connection: only a server database can be shared with it.
  if (engine !== "postgres") return;
  test("`npm run db -- token create --expires-in 30d` issues a token that expires in 30 days", async () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "db/cli.ts", "token", ...args], {
        env: { ...process.env, DATABASE_URL: conn.url, DATABASE_DIRECT_URL: conn.url },
        encoding: "utf8",
      });
    const created = cli("create", "--user", "panel-user@example.com", "--label", "cron", "--expires-in", "30d");
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /expires \d{4}-\d\d-\d\dT/);
    const row = await conn.db
      .selectFrom("api_tokens")
      .select("expires_at")
      .where("label", "=", "cron")
      .executeTakeFirstOrThrow();
    assert.ok(Math.abs(row.expires_at!.getTime() - Date.now() - 30 * 86_400_000) < 120_000);
    assert.match(cli("list", "--user", "panel-user@example.com").stdout, /cron {2}last used never {2}expires \d{4}-/);

    const refused = cli("create", "--user", "panel-user@example.com", "--label", "bad", "--expires-in", "soon");
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /--expires-in: Give the lifetime in days or hours/);
  });
});
