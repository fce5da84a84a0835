import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { createStaffUser } from "#db/repositories/staff";
import { listSecurityEvents } from "#db/security/events";
import { hashSessionId } from "#db/security/sessions";
import { signInBuckets, signInWait } from "#db/security/throttle";
import { forEachEngine } from "#db/test/engines";
import { action } from "./route";

// The sign-in action against a real database on both engines: failures per account and per
// client address lead to growing waits kept in PostgreSQL, the owner is not locked out by an
// attacker elsewhere for longer than the cap, and every attempt is a security event without
// the password.

process.env.SESSION_SECRET ??= "test-secret";
const PASSWORD = "correct-horse-battery";

async function signIn(email: string, password: string, clientAddress: string): Promise<Response> {
  const request = new Request("http://desk.test/login", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, redirectTo: "/" }).toString(),
  });
  try {
    const result = await action({ request, params: {}, context: { clientAddress } } as never);
    const init = (result as { init?: ResponseInit | null }).init;
    return new Response(null, { status: init?.status ?? 200, headers: init?.headers });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

forEachEngine("sign-in throttling kept in PostgreSQL", (ctx) => {
  beforeEach(() => {
    globalThis.__symbolDeskDb = Promise.resolve(ctx.conn);
  });

  test("past five failures an account waits, from any address; its owner's sign-in starts it afresh", async () => {
    const { db } = ctx.conn;
    await createStaffUser(db, { email: "pat@throttle.test", displayName: "Pat", role: "viewer", password: PASSWORD });
    // Rotating addresses does not help: the account's bucket counts every one of them.
    for (let i = 0; i < 5; i++)
      assert.equal((await signIn("pat@throttle.test", "wrong", `198.51.100.${i}`)).status, 400);
    const sixth = await signIn("pat@throttle.test", "wrong", "198.51.100.77");
    assert.equal(sixth.status, 400, "the sixth failure is checked, and sets the first wait");
    const throttled = await signIn("pat@throttle.test", PASSWORD, "203.0.113.1");
    assert.equal(throttled.status, 429);
    const retryAfter = Number(throttled.headers.get("Retry-After"));
    assert.ok(retryAfter >= 1 && retryAfter <= 300, `Retry-After ${retryAfter}`);
    // Held in the database, not in this process: another instance reads the same wait.
    assert.ok((await signInWait(db, signInBuckets("PAT@throttle.test", "10.0.0.1"))) >= 1);

    // The wait grows, and is capped: an attacker cannot lock the owner out for long.
    await db
      .updateTable("sign_in_throttle")
      .set({ blocked_until: new Date(0) })
      .execute();
    await signIn("pat@throttle.test", "wrong", "198.51.100.78");
    const second = Number((await signIn("pat@throttle.test", "wrong", "198.51.100.79")).headers.get("Retry-After"));
    assert.ok(second >= 2 && second <= 300, `second wait ${second}`);

    await db
      .updateTable("sign_in_throttle")
      .set({ blocked_until: new Date(0) })
      .execute();
    const ok = await signIn("pat@throttle.test", PASSWORD, "203.0.113.1");
    assert.equal(ok.status, 302);
    const cookie = ok.headers.get("Set-Cookie")!;
    assert.ok(cookie);
    const account = await db
      .selectFrom("sign_in_throttle")
      .selectAll()
      .where("key", "=", "account:pat@throttle.test")
      .execute();
    assert.deepEqual(account, [], "the owner's sign-in clears the account's bucket");

    const events = await listSecurityEvents(db, 100);
    const kinds = events.map((e) => e.kind);
    assert.ok(kinds.includes("sign_in") && kinds.includes("sign_in_failed") && kinds.includes("sign_in_throttled"));
    assert.ok(events.every((e) => e.email === "pat@throttle.test"));
    assert.ok(!JSON.stringify(events).includes(PASSWORD) && !JSON.stringify(events).includes("wrong"));
  });

  test("one address guessing at many accounts waits too, and the address comes from the server", async () => {
    for (let i = 0; i < 20; i++) await signIn(`nobody${i}@throttle.test`, "guess", "192.0.2.50");
    assert.equal((await signIn("nobody20@throttle.test", "guess", "192.0.2.50")).status, 400);
    assert.equal((await signIn("nobody21@throttle.test", "guess", "192.0.2.50")).status, 429);
    // Another address is not affected.
    assert.equal((await signIn("nobody22@throttle.test", "guess", "192.0.2.51")).status, 400);
  });

  test("session ids are stored hashed", async () => {
    const { db } = ctx.conn;
    await createStaffUser(db, { email: "sid@throttle.test", displayName: "Sid", role: "viewer", password: PASSWORD });
    const ok = await signIn("sid@throttle.test", PASSWORD, "203.0.113.9");
    assert.equal(ok.status, 302);
    const rows = await db.selectFrom("staff_sessions").select("id").execute();
    assert.ok(rows.length > 0);
    for (const row of rows) assert.match(row.id, /^[0-9a-f]{64}$/);
    assert.equal(hashSessionId("x").length, 64);
  });
});
