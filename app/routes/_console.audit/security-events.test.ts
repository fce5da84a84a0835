import assert from "node:assert/strict";
import { before, beforeEach, test } from "node:test";
import { createStaffUser } from "#db/repositories/staff";
import { forEachEngine } from "#db/test/engines";
import { BASE, staffCookie, useTestDatabase } from "~/api/test-harness";
import { action as signIn } from "../login/route";
import { loader } from "./route";

// Sign-ins, failed sign-ins and throttled attempts are security events: /audit lists them for
// admins (who, which email was tried, from where), never with the password, and not at all for
// operators and viewers.

process.env.SESSION_SECRET ??= "test-secret";
const PASSWORD = "events-password-1";

async function attempt(email: string, password: string, clientAddress: string): Promise<number> {
  const request = new Request(`${BASE}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, redirectTo: "/" }).toString(),
  });
  try {
    const result = await signIn({ request, params: {}, context: { clientAddress } } as never);
    return (result as { init?: ResponseInit | null }).init?.status ?? 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

type AuditPage = { securityEvents: Array<{ kind: string; email: string | null; clientAddress: string | null }> | null };
const auditAs = async (cookie: Record<string, string>) =>
  (await loader({ request: new Request(`${BASE}/audit`, { headers: cookie }), params: {}, context: {} })) as AuditPage;

forEachEngine("security events on /audit", ({ conn }) => {
  before(async () => {
    useTestDatabase(conn);
    await createStaffUser(conn.db, {
      email: "sam@events.test",
      displayName: "Sam",
      role: "viewer",
      password: PASSWORD,
    });
    // Six failures from one address: the account's free tries are used up and the next is throttled.
    for (let i = 0; i < 6; i++)
      assert.equal(await attempt("sam@events.test", "wrong-guess-secret", "198.51.100.4"), 400);
    assert.equal(await attempt("sam@events.test", PASSWORD, "198.51.100.4"), 429);
    await conn.db
      .updateTable("sign_in_throttle")
      .set({ blocked_until: new Date(0) })
      .execute();
    assert.equal(await attempt("sam@events.test", PASSWORD, "203.0.113.8"), 302);
  });
  beforeEach(() => useTestDatabase(conn));

  test("an admin sees sign-ins, failures and throttling with the address, never the password", async () => {
    const page = await auditAs(await staffCookie(conn, "admin", "admin@events.test"));
    const events = page.securityEvents!;
    const ofSam = events.filter((e) => e.email === "sam@events.test");
    assert.equal(ofSam.filter((e) => e.kind === "sign_in_failed").length, 6);
    assert.deepEqual(
      ofSam.filter((e) => e.kind !== "sign_in_failed").map((e) => [e.kind, e.clientAddress]),
      [
        ["sign_in", "203.0.113.8"],
        ["sign_in_throttled", "198.51.100.4"],
      ],
    );
    const text = JSON.stringify(events);
    assert.ok(!text.includes("wrong-guess-secret") && !text.includes(PASSWORD), "no password in the events");
  });

  test("operators and viewers see the audit log without them", async () => {
    for (const role of ["operator", "viewer"] as const) {
      const page = await auditAs(await staffCookie(conn, role, `${role}@events.test`));
      assert.equal(page.securityEvents, null, role);
    }
  });
});
