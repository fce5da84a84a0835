import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { countStaff, findStaffByEmail } from "#db/repositories/staff";
import { listSecurityEvents } from "#db/security/events";
import { issueSetupCode } from "#db/security/setup-codes";
import { forEachEngine } from "#db/test/engines";
import { announceSetupCode } from "~/utils/setup-code.server";
import { action } from "./route";

// First-run setup against a real database on both engines: the code the server prints at start
// is stored only hashed, /setup refuses a missing or wrong one (and throttles wrong ones per
// client address), and the right one creates the first admin and is used up.

process.env.SESSION_SECRET ??= "test-secret";
const PASSWORD = "first-admin-password";

async function setUp(form: Record<string, string>, clientAddress = "192.0.2.10") {
  const request = new Request("http://desk.test/setup", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  try {
    const result = await action({ request, params: {}, context: { clientAddress } } as never);
    const init = (result as { init?: ResponseInit | null }).init;
    const body = (result as { data?: { fieldErrors?: Record<string, string>; formError?: string } }).data;
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), body };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, headers: thrown.headers, body: undefined };
    const init = (thrown as { init?: ResponseInit | null }).init;
    if (init?.status) return { status: init.status, headers: new Headers(init.headers), body: undefined };
    throw thrown;
  }
}

const admin = (setupCode: string | undefined) => ({
  ...(setupCode === undefined ? {} : { setupCode }),
  displayName: "Ada Admin",
  email: "ada@setup.test",
  password: PASSWORD,
  confirmPassword: PASSWORD,
});

forEachEngine("first-run setup code", (ctx) => {
  beforeEach(() => {
    globalThis.__symbolDeskDb = Promise.resolve(ctx.conn);
  });

  test("the code printed at start, and only it, creates the first admin; wrong codes are throttled", async () => {
    const { db } = ctx.conn;
    const printed: string[] = [];
    await announceSetupCode((line) => printed.push(line));
    const code = /\b([0-9A-Z]{5}(?:-[0-9A-Z]{5}){3})\b/.exec(printed.join("\n"))?.[1];
    assert.ok(code, `a code in the output: ${printed.join("\n")}`);
    const stored = await db.selectFrom("setup_codes").select("code_hash").execute();
    assert.equal(stored.length, 1);
    assert.ok(!stored[0]!.code_hash.includes(code.replace(/-/g, "")), "stored hashed, not in clear");

    const missing = await setUp(admin(undefined));
    assert.equal(missing.status, 400);
    assert.match(missing.body?.fieldErrors?.setupCode ?? "", /setup code/);

    // Five wrong codes are answered; the sixth sets a wait that even the right code must sit out.
    for (let i = 0; i < 6; i++) {
      const wrong = await setUp(admin("AAAAA-BBBBB-CCCCC-DDDDD"));
      assert.equal(wrong.status, 403, `wrong code ${i + 1}`);
      assert.match(wrong.body?.fieldErrors?.setupCode ?? "", /not the setup code/);
    }
    const throttled = await setUp(admin(code));
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.headers.get("Retry-After")) >= 1);
    assert.equal(await countStaff(db), 0, "nobody was created");
    // Per client address: another address is not held up by it.
    const elsewhere = await setUp(admin("AAAAA-BBBBB-CCCCC-DDDDE"), "192.0.2.99");
    assert.equal(elsewhere.status, 403);

    await db
      .updateTable("sign_in_throttle")
      .set({ blocked_until: new Date(0) })
      .execute();
    // Typed in lower case with spaces, as people copy it: still the code.
    const created = await setUp(admin(` ${code.toLowerCase().replace(/-/g, " ")} `));
    assert.equal(created.status, 302);
    assert.equal(created.headers.get("Location"), "/");
    assert.ok(created.headers.get("Set-Cookie"), "the new admin is signed in");
    assert.equal((await findStaffByEmail(db, "ada@setup.test"))?.role, "admin");

    assert.deepEqual(await db.selectFrom("setup_codes").selectAll().execute(), [], "the code is used up");
    assert.equal(await issueSetupCode(db), null, "no new code once an admin exists");
    const kinds = (await listSecurityEvents(db, 20)).map((e) => e.kind);
    assert.ok(kinds.includes("setup") && kinds.includes("sign_in_failed") && kinds.includes("sign_in_throttled"));
    const again = await setUp(admin(code));
    assert.equal(again.status, 403);
  });
});
