import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { createStaffUser } from "#db/repositories/staff";
import { inviteStaff } from "#db/repositories/staff-management";
import { listSecurityEvents } from "#db/security/events";
import { forEachEngine } from "#db/test/engines";
import { action, loader } from "./route";

// Guessing at /password/:token: unknown links are counted per client address in the database's
// throttle, as wrong setup codes are; past the free tries the address gets 429 with Retry-After,
// even for a real link, while other addresses are not held up. Each try is a security event.

const PASSWORD = "meadow-lantern-copper-917";
const UNKNOWN = "x".repeat(43);

async function answer(run: () => Promise<unknown>) {
  try {
    const result = await run();
    const init = (result as { init?: ResponseInit | null }).init;
    return { status: init?.status ?? 200, headers: new Headers(init?.headers) };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, headers: thrown.headers };
    const init = (thrown as { init?: ResponseInit | null }).init;
    if (init?.status) return { status: init.status, headers: new Headers(init.headers) };
    throw thrown;
  }
}

const open = (token: string, clientAddress: string) =>
  answer(() =>
    loader({
      request: new Request(`http://desk.test/password/${token}`),
      params: { token },
      context: { clientAddress },
    } as never),
  );

const post = (token: string, clientAddress: string) =>
  answer(() =>
    action({
      request: new Request(`http://desk.test/password/${token}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ password: PASSWORD, confirmPassword: PASSWORD }).toString(),
      }),
      params: { token },
      context: { clientAddress },
    } as never),
  );

forEachEngine("password link guesses", (ctx) => {
  beforeEach(() => {
    globalThis.__symbolDeskDb = Promise.resolve(ctx.conn);
  });

  test("unknown links are throttled per client address with 429 and Retry-After, and recorded", async () => {
    const { db } = ctx.conn;
    const admin = await createStaffUser(db, {
      email: "boss@link.test",
      displayName: "Boss",
      role: "admin",
      password: PASSWORD,
    });
    const invited = await inviteStaff(db, {
      actorId: admin.id,
      email: "new@link.test",
      displayName: "New",
      role: "viewer",
    });
    const guesser = "198.51.100.7";

    // Five unknown links are answered; the sixth sets a wait that even a real link must sit out.
    for (let i = 0; i < 6; i++) assert.equal((await open(`${UNKNOWN}${i}`, guesser)).status, 404, `guess ${i + 1}`);
    const throttled = await open(invited.token, guesser);
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.headers.get("Retry-After")) >= 1);
    const posted = await post(invited.token, guesser);
    assert.equal(posted.status, 429, "posting to the link is held up alike");

    // Per client address: the person the link was given to is not held up by it.
    assert.equal((await open(invited.token, "198.51.100.8")).status, 200);

    const events = (await listSecurityEvents(db, 50)).filter((e) => e.clientAddress === guesser);
    assert.equal(events.filter((e) => e.kind === "sign_in_failed").length, 6);
    assert.ok(events.some((e) => e.kind === "sign_in_throttled"));
  });
});
