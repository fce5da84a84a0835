import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { createStaffSession, createStaffUser, deleteStaffSession, type StaffRole } from "#db/repositories/staff";
import { forEachEngine } from "#db/test/engines";
import { countingSelects } from "#db/test/session-helpers";
import { getOptionalStaff, requireStaff, safeRedirect } from "./permissions.server";
import { commitNewSession, SESSION_COOKIE } from "./session.server";

// The role boundaries of requireStaff, on both engines: anonymous, stale, expired, each role
// against each minimum.

process.env.SESSION_SECRET ??= "test-secret";
const ROLES: StaffRole[] = ["viewer", "operator", "admin"];
const PASSWORD = "role-boundary-password";

async function cookieFor(sid: string, url = "http://desk.test/"): Promise<string> {
  const setCookie = await commitNewSession(new Request(url), sid, new Date(Date.now() + 60_000));
  return setCookie.split(";")[0]!;
}

async function outcome(request: Request, minRole: StaffRole): Promise<string> {
  try {
    const staff = await requireStaff(request, minRole);
    return `ok:${staff.role}`;
  } catch (thrown) {
    if (thrown instanceof Response) return `redirect:${thrown.headers.get("Location")}`;
    const init = (thrown as { init?: ResponseInit | null }).init;
    if (init?.status) return `status:${init.status}`;
    throw thrown;
  }
}

forEachEngine("requireStaff role boundaries", (ctx) => {
  beforeEach(() => {
    globalThis.__symbolDeskDb = Promise.resolve(ctx.conn);
  });

  test("an anonymous visitor is sent to sign-in, with the page they asked for", async () => {
    assert.equal(await outcome(new Request("http://desk.test/"), "viewer"), "redirect:/login");
    assert.equal(
      await outcome(new Request("http://desk.test/symbols?q=btc"), "viewer"),
      "redirect:/login?redirectTo=%2Fsymbols%3Fq%3Dbtc",
    );
  });

  test("each role passes its own and lower minimums and gets 403 above them", async () => {
    for (const role of ROLES) {
      const user = await createStaffUser(ctx.conn.db, {
        email: `${role}@roles.test`,
        displayName: role,
        role,
        password: PASSWORD,
      });
      const session = await createStaffSession(ctx.conn.db, user.id, 60_000);
      const request = new Request("http://desk.test/", { headers: { Cookie: await cookieFor(session.id) } });
      for (const minimum of ROLES) {
        const allowed = ROLES.indexOf(role) >= ROLES.indexOf(minimum);
        assert.equal(await outcome(request, minimum), allowed ? `ok:${role}` : "status:403", `${role} on ${minimum}`);
      }
    }
  });

  test("a revoked or expired session counts as signed out, and its cookie is cleared", async () => {
    const user = await createStaffUser(ctx.conn.db, {
      email: "stale@roles.test",
      displayName: "Stale",
      role: "admin",
      password: PASSWORD,
    });
    const revoked = await createStaffSession(ctx.conn.db, user.id, 60_000);
    await deleteStaffSession(ctx.conn.db, revoked.id);
    const expired = await createStaffSession(ctx.conn.db, user.id, -1_000);
    for (const sid of [revoked.id, expired.id]) {
      const request = new Request("http://desk.test/", { headers: { Cookie: await cookieFor(sid) } });
      try {
        await requireStaff(request, "viewer");
        assert.fail("should have redirected");
      } catch (thrown) {
        assert.ok(thrown instanceof Response);
        assert.equal(thrown.headers.get("Location"), "/login");
        assert.match(
          thrown.headers.get("Set-Cookie") ?? "",
          new RegExp(`^${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`),
        );
      }
    }
  });

  test("a page's parallel loaders share one session lookup; a later request looks again", async () => {
    const user = await createStaffUser(ctx.conn.db, {
      email: "shared@roles.test",
      displayName: "S",
      role: "viewer",
      password: PASSWORD,
    });
    const session = await createStaffSession(ctx.conn.db, user.id, 60_000);
    const cookie = await cookieFor(session.id);
    const counted = countingSelects(ctx.conn);
    globalThis.__symbolDeskDb = Promise.resolve(counted.conn);
    // What Remix hands the layout's and the page's loaders: two Request objects, one cookie.
    const copies = [1, 2].map(() => new Request("http://desk.test/symbols", { headers: { Cookie: cookie } }));
    const staff = await Promise.all(copies.map((request) => getOptionalStaff(request)));
    assert.deepEqual(
      staff.map((s) => s?.id),
      [user.id, user.id],
    );
    assert.equal(counted.selects(), 1);

    await deleteStaffSession(ctx.conn.db, session.id);
    const after = await getOptionalStaff(new Request("http://desk.test/symbols", { headers: { Cookie: cookie } }));
    assert.equal(after, null, "the sign-out is seen by the next request");
    assert.equal(counted.selects(), 2);
  });

  test("a forged cookie (wrong signature) counts as signed out", async () => {
    const user = await createStaffUser(ctx.conn.db, {
      email: "forged@roles.test",
      displayName: "F",
      role: "admin",
      password: PASSWORD,
    });
    const session = await createStaffSession(ctx.conn.db, user.id, 60_000);
    const payload = Buffer.from(JSON.stringify({ sid: session.id })).toString("base64");
    const forged = `${SESSION_COOKIE}=${payload}.bad-signature`;
    const request = new Request("http://desk.test/", { headers: { Cookie: forged } });
    assert.equal(await outcome(request, "viewer"), "redirect:/login");
  });
});

test("the session cookie is httpOnly, SameSite=Lax, and Secure with the __Host- prefix only over HTTPS", async () => {
  const plain = await commitNewSession(new Request("http://desk.test/"), "sid", new Date(Date.now() + 60_000));
  assert.match(plain, /HttpOnly/);
  assert.match(plain, /SameSite=Lax/);
  assert.doesNotMatch(plain, /Secure/);
  assert.match(plain, /^__symbol_desk=/);
  const direct = await commitNewSession(new Request("https://desk.test/"), "sid", new Date(Date.now() + 60_000));
  assert.match(direct, /Secure/);
  assert.match(direct, /^__Host-symbol_desk=.*Path=\//);
  assert.doesNotMatch(direct, /Domain=/);
  // The header is the client's to write: only the server, trusting a proxy, decides the scheme.
  const forged = await commitNewSession(
    new Request("http://desk.test/", { headers: { "X-Forwarded-Proto": "https" } }),
    "sid",
    new Date(Date.now() + 60_000),
  );
  assert.doesNotMatch(forged, /Secure/);
});

test("safeRedirect keeps local paths and refuses everything else", () => {
  assert.equal(safeRedirect("/symbols?q=btc#top"), "/symbols?q=btc#top");
  for (const bad of [
    "//evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "",
    null,
    undefined,
    "/logout",
    "/login?x=1",
    "/.//evil.example/phish",
    "/a/..//x",
    "/%2e//x",
    "/./\\evil.example",
  ]) {
    assert.equal(safeRedirect(bad), "/", String(bad));
  }
});
