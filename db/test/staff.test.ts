import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import {
  countStaff,
  createFirstAdmin,
  createStaffSession,
  createStaffUser,
  deleteStaffSession,
  deleteStaffUser,
  DuplicateStaffEmailError,
  getStaffBySession,
  InvalidStaffInputError,
  listStaff,
  roleAtLeast,
  verifyStaffCredentials,
} from "../repositories/staff.js";
import { passwordProblem } from "../rules/password.js";
import { hashSessionId } from "../security/sessions.js";
import { forEachEngine } from "./engines.js";

const PASSWORD = "correct horse battery";

forEachEngine("staff accounts and sessions", (ctx) => {
  test("a fresh database has no staff, and the first admin can be created exactly once", async () => {
    const { db } = ctx.conn;
    assert.equal(await countStaff(db), 0);
    const admin = await createFirstAdmin(db, {
      email: "First@Example.com",
      displayName: "First Admin",
      password: PASSWORD,
    });
    assert.ok(admin);
    assert.equal(admin.role, "admin");
    assert.equal(admin.email, "first@example.com");
    assert.equal(
      await createFirstAdmin(db, { email: "second@example.com", displayName: "Second", password: PASSWORD }),
      null,
    );
    assert.equal(await countStaff(db), 1);
  });

  test("createStaffUser stores a bcrypt hash of cost 11, never the password, and returns no hash", async () => {
    const { db } = ctx.conn;
    const user = await createStaffUser(db, {
      email: "hash@example.com",
      displayName: "Hash",
      role: "viewer",
      password: PASSWORD,
    });
    assert.equal("password_hash" in user, false);
    const row = await db
      .selectFrom("staff_users")
      .select("password_hash")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^\$2[aby]\$11\$/);
    assert.ok(!row.password_hash.includes(PASSWORD));
  });

  test("an email is unique regardless of case: the duplicate gets DuplicateStaffEmailError", async () => {
    const { db } = ctx.conn;
    await createStaffUser(db, { email: "dup@example.com", displayName: "One", role: "viewer", password: PASSWORD });
    await assert.rejects(
      createStaffUser(db, { email: "  DUP@Example.COM ", displayName: "Two", role: "admin", password: PASSWORD }),
      (error) => error instanceof DuplicateStaffEmailError && error.email === "dup@example.com",
    );
  });

  test("bad input is refused before anything is written", async () => {
    const { db } = ctx.conn;
    const before = await countStaff(db);
    const base = { email: "bad@example.com", displayName: "Bad", role: "viewer" as const, password: PASSWORD };
    const cases = [
      { ...base, email: "not-an-email" },
      { ...base, displayName: "   " },
      { ...base, role: "root" as never },
      { ...base, password: "short" },
      { ...base, password: "ü".repeat(40) },
    ];
    for (const input of cases) {
      await assert.rejects(createStaffUser(db, input), InvalidStaffInputError);
    }
    assert.equal(await countStaff(db), before);
  });

  test("a password long enough but easy to guess is refused with the one rule's reason", async () => {
    const { db } = ctx.conn;
    const before = await countStaff(db);
    const base = { email: "guessable@example.com", displayName: "Gus Sable", role: "viewer" as const };
    for (const password of ["x".repeat(12), "password1234", "guessable@example.com"]) {
      await assert.rejects(createStaffUser(db, { ...base, password }), (error: unknown) => {
        assert.ok(error instanceof InvalidStaffInputError);
        assert.equal(error.field, "password");
        assert.equal(error.message, passwordProblem(password, [base.email, base.displayName]));
        return true;
      });
    }
    assert.equal(await countStaff(db), before);
  });

  test("credentials: right password signs in (any email case), wrong password and unknown email do not", async () => {
    const { db } = ctx.conn;
    const user = await createStaffUser(db, {
      email: "op@example.com",
      displayName: "Op",
      role: "operator",
      password: PASSWORD,
    });
    const ok = await verifyStaffCredentials(db, "OP@example.com", PASSWORD);
    assert.equal(ok?.id, user.id);
    assert.equal(ok && "password_hash" in ok, false);
    assert.equal(await verifyStaffCredentials(db, "op@example.com", "wrong password"), null);
    assert.equal(await verifyStaffCredentials(db, "nobody@example.com", PASSWORD), null);
  });

  test("an unknown email still pays for a bcrypt comparison (against a dummy hash)", async () => {
    const { db } = ctx.conn;
    const started = performance.now();
    assert.equal(await verifyStaffCredentials(db, "unknown@example.com", "wrong password"), null);
    const elapsed = performance.now() - started;
    // Not a speed measurement: a cost-11 bcrypt comparison cannot finish in under 15 ms on any
    // machine, while skipping it would answer in about 1 ms. Load only makes this larger.
    assert.ok(elapsed > 15, `answered in ${elapsed.toFixed(1)} ms: the dummy comparison was skipped`);
  });

  test("a session resolves to its staff member until it is deleted, and records the sign-in", async () => {
    const { db } = ctx.conn;
    const user = await createStaffUser(db, {
      email: "sess@example.com",
      displayName: "Sess",
      role: "viewer",
      password: PASSWORD,
    });
    assert.equal(user.last_sign_in_at, null);
    const first = await createStaffSession(db, user.id, 60_000);
    const second = await createStaffSession(db, user.id, 60_000);
    assert.match(first.id, /^[A-Za-z0-9_-]{43}$/, "32 random bytes, base64url");
    assert.notEqual(first.id, second.id);
    assert.ok(first.expiresAt.getTime() > Date.now());
    assert.equal((await getStaffBySession(db, first.id))?.email, "sess@example.com");
    const signedIn = await db
      .selectFrom("staff_users")
      .select("last_sign_in_at")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    assert.ok(signedIn.last_sign_in_at);

    await deleteStaffSession(db, first.id);
    assert.equal(await getStaffBySession(db, first.id), null);
    assert.equal((await getStaffBySession(db, second.id))?.id, user.id, "other sessions stay valid");
    assert.equal(await getStaffBySession(db, "no-such-session"), null);
  });

  test("an expired session resolves to nobody and is swept at the next sign-in", async () => {
    const { db } = ctx.conn;
    const user = await createStaffUser(db, {
      email: "exp@example.com",
      displayName: "Exp",
      role: "viewer",
      password: PASSWORD,
    });
    const session = await createStaffSession(db, user.id, 60_000);
    await db
      .updateTable("staff_sessions")
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where("id", "=", hashSessionId(session.id))
      .execute();
    assert.equal(await getStaffBySession(db, session.id), null);
    await createStaffSession(db, user.id, 60_000);
    const left = await db
      .selectFrom("staff_sessions")
      .select("id")
      .where("id", "=", hashSessionId(session.id))
      .executeTakeFirst();
    assert.equal(left, undefined);
  });

  test("deleting a staff member ends their sessions", async () => {
    const { db } = ctx.conn;
    const user = await createStaffUser(db, {
      email: "gone@example.com",
      displayName: "Gone",
      role: "admin",
      password: PASSWORD,
    });
    const session = await createStaffSession(db, user.id, 60_000);
    assert.equal(await deleteStaffUser(db, user.id), true);
    assert.equal(await getStaffBySession(db, session.id), null);
    assert.equal(await deleteStaffUser(db, user.id), false);
  });

  test("createStaffUser works inside a caller's transaction and rolls back with it", async () => {
    const { db } = ctx.conn;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await createStaffUser(trx, { email: "tx@example.com", displayName: "Tx", role: "viewer", password: PASSWORD });
        throw new Error("abort");
      }),
      /abort/,
    );
    assert.equal(await verifyStaffCredentials(db, "tx@example.com", PASSWORD), null);
  });

  test("listStaff orders admins, then operators, then viewers, and carries no hashes", async () => {
    const { db } = ctx.conn;
    const staff = await listStaff(db);
    const ranks = staff.map((s) => ["admin", "operator", "viewer"].indexOf(s.role));
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
    );
    assert.ok(staff.every((s) => !("password_hash" in s)));
  });

  test("roles: viewer < operator < admin", () => {
    assert.equal(roleAtLeast("admin", "operator"), true);
    assert.equal(roleAtLeast("operator", "operator"), true);
    assert.equal(roleAtLeast("viewer", "operator"), false);
    assert.equal(roleAtLeast("operator", "admin"), false);
    assert.equal(roleAtLeast("viewer", "viewer"), true);
  });
});
