import assert from "node:assert/strict";
import { after, beforeEach, test } from "node:test";
import { reloadConfig } from "#db/config";
import { getStaffBySession } from "#db/security/sessions";
import { createStaffSession, createStaffUser } from "#db/repositories/staff";
import { forEachEngine } from "#db/test/engines";
import { idleStaffSession, staffSessionLastSeen } from "#db/test/session-helpers";
import { BASE, useTestDatabase } from "~/api/test-harness";
import { requireStaff } from "./permissions.server";
import { commitNewSession } from "./session.server";

// A staff session ends after SESSION_IDLE_MINUTES (30) without a request, long before its
// 12-hour limit; a request within that time keeps it going.

process.env.SESSION_SECRET ??= "test-secret";

forEachEngine("the idle timeout of staff sessions", ({ conn }) => {
  beforeEach(() => useTestDatabase(conn));
  after(() => {
    delete process.env.SESSION_IDLE_MINUTES;
    reloadConfig();
  });

  async function sessionIdleFor(email: string, minutes: number) {
    const staff = await createStaffUser(conn.db, {
      email,
      displayName: email,
      role: "viewer",
      password: "idle-password-1",
    });
    const session = await createStaffSession(conn.db, staff.id, 12 * 3_600_000);
    await idleStaffSession(conn.db, session.id, minutes);
    return session;
  }
  const lastSeenAgoMs = async (sessionId: string) =>
    Date.now() - (await staffSessionLastSeen(conn.db, sessionId))!.getTime();

  test("29 minutes idle: still signed in, and the request counts as activity", async () => {
    const session = await sessionIdleFor("active@idle.test", 29);
    assert.equal((await getStaffBySession(conn.db, session.id))?.email, "active@idle.test");
    assert.ok((await lastSeenAgoMs(session.id)) < 60_000, "last seen now");
  });

  test("31 minutes idle: the session has ended, and a page sends its owner to sign in", async () => {
    const session = await sessionIdleFor("idle@idle.test", 31);
    assert.equal(await getStaffBySession(conn.db, session.id), null);
    const cookie = (await commitNewSession(new Request(BASE), session.id, session.expiresAt)).split(";")[0]!;
    await assert.rejects(
      requireStaff(new Request(`${BASE}/symbols`, { headers: { Cookie: cookie } })),
      (thrown: unknown) =>
        thrown instanceof Response &&
        thrown.status === 302 &&
        /^\/login/.test(thrown.headers.get("Location") ?? "") &&
        /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(thrown.headers.get("Set-Cookie") ?? ""),
    );
  });

  test("SESSION_IDLE_MINUTES sets the timeout", async () => {
    process.env.SESSION_IDLE_MINUTES = "5";
    reloadConfig();
    const session = await sessionIdleFor("short@idle.test", 6);
    assert.equal(await getStaffBySession(conn.db, session.id), null);
    const recent = await sessionIdleFor("recent@idle.test", 4);
    assert.ok(await getStaffBySession(conn.db, recent.id));
  });
});
