import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { changeOwnPassword, endAllOwnSessions, endOwnSession, listOwnSessions } from "../repositories/staff-account.js";
import { listStaffChanges } from "../repositories/staff-audit.js";
import {
  changeStaffRole,
  inviteStaff,
  issuePasswordReset,
  LastAdminError,
  listStaffOverview,
  PasswordLinkError,
  setStaffDisabled,
  StaffChangeRefusedError,
  redeemPasswordLink,
  viewPasswordLink,
} from "../repositories/staff-management.js";
import {
  createStaffSession,
  createStaffUser,
  getStaffBySession,
  InvalidStaffInputError,
  verifyStaffCredentials,
} from "../repositories/staff.js";
import * as staffManagementMigration from "../migrations/20250106_staff_management.js";
import { forEachEngine } from "./engines.js";

const PASSWORD = "correct horse battery";
const CHOSEN = "nine-Lemons-quietly-7";
const HOUR = 60 * 60 * 1000;

forEachEngine("staff management", (ctx) => {
  let n = 0;
  const admin = (role: "admin" | "operator" | "viewer" = "admin") =>
    createStaffUser(ctx.conn.db, { email: `s${++n}@mgmt.test`, displayName: `Staff ${n}`, role, password: PASSWORD });

  test("an invitation link sets the password once; the account cannot sign in before", async () => {
    const { db } = ctx.conn;
    const boss = await admin();
    const link = await inviteStaff(db, {
      actorId: boss.id,
      email: "new@mgmt.test",
      displayName: "New",
      role: "operator",
    });
    assert.equal(await verifyStaffCredentials(db, "new@mgmt.test", PASSWORD), null);
    const listed = (await listStaffOverview(db)).find((s) => s.id === link.staffId);
    assert.equal(listed?.status, "invited");
    assert.equal(listed?.createdByName, boss.display_name);
    assert.equal(listed?.pendingLink?.purpose, "invite");
    assert.deepEqual(await viewPasswordLink(db, link.token), {
      purpose: "invite",
      email: "new@mgmt.test",
      displayName: "New",
      expiresAt: link.expiresAt,
    });
    const stored = await db.selectFrom("staff_password_links").select("token_hash").executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, link.token, "only a hash of the link is stored");

    await assert.rejects(redeemPasswordLink(db, link.token, "password1234"), (error: unknown) => {
      assert.ok(error instanceof InvalidStaffInputError);
      assert.match(error.message, /commonly used password/);
      return true;
    });
    await redeemPasswordLink(db, link.token, CHOSEN);
    assert.equal((await verifyStaffCredentials(db, "new@mgmt.test", CHOSEN))?.role, "operator");
    await assert.rejects(redeemPasswordLink(db, link.token, "another-Good-phrase-42"), (e: unknown) => {
      return e instanceof PasswordLinkError && e.status === 410;
    });
    await assert.rejects(
      viewPasswordLink(db, link.token.slice(0, -1) + (link.token.endsWith("A") ? "B" : "A")),
      (e) => {
        return e instanceof PasswordLinkError && e.status === 404;
      },
    );
    assert.equal((await listStaffOverview(db)).find((s) => s.id === link.staffId)?.status, "active");
  });

  test("an invitation older than 24 hours no longer works", async () => {
    const { db } = ctx.conn;
    const boss = await admin();
    const link = await inviteStaff(db, {
      actorId: boss.id,
      email: "late@mgmt.test",
      displayName: "Late",
      role: "viewer",
    });
    await db
      .updateTable("staff_password_links")
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where("staff_id", "=", link.staffId)
      .execute();
    await assert.rejects(
      redeemPasswordLink(db, link.token, CHOSEN),
      (e) => e instanceof PasswordLinkError && e.status === 410,
    );
    assert.equal(await verifyStaffCredentials(db, "late@mgmt.test", CHOSEN), null);
  });

  test("disabling ends the account's sessions at once and refuses sign-in; enabling lets it sign in again", async () => {
    const { db } = ctx.conn;
    const boss = await admin();
    const op = await admin("operator");
    const session = await createStaffSession(db, op.id, 12 * HOUR);
    assert.equal((await getStaffBySession(db, session.id))?.id, op.id);
    await setStaffDisabled(db, { actorId: boss.id, staffId: op.id, disabled: true });
    assert.equal(await getStaffBySession(db, session.id), null);
    assert.equal(await verifyStaffCredentials(db, op.email, PASSWORD), null);
    await setStaffDisabled(db, { actorId: boss.id, staffId: op.id, disabled: false });
    assert.equal((await verifyStaffCredentials(db, op.email, PASSWORD))?.id, op.id);
    const changes = (await listStaffChanges(db)).filter((c) => c.staffEmail === op.email);
    assert.deepEqual(
      changes.map((c) => [c.action, c.before, c.after, c.actorName]),
      [
        ["enabled", "disabled", "active", boss.display_name],
        ["disabled", "active", "disabled", boss.display_name],
      ],
    );
  });

  test("the last active admin cannot be demoted or disabled; with a second admin it can", async () => {
    const { db } = ctx.conn;
    // Every other admin of this database is disabled first, so `last` is the only active one.
    const last = await admin();
    const others = await db
      .selectFrom("staff_users")
      .select("id")
      .where("role", "=", "admin")
      .where("id", "!=", last.id)
      .execute();
    for (const other of others) await setStaffDisabled(db, { actorId: last.id, staffId: other.id, disabled: true });
    await assert.rejects(changeStaffRole(db, { actorId: last.id, staffId: last.id, role: "operator" }), LastAdminError);
    const viewer = await admin("viewer");
    await assert.rejects(
      setStaffDisabled(db, { actorId: viewer.id, staffId: last.id, disabled: true }),
      LastAdminError,
    );
    assert.equal(
      (await db.selectFrom("staff_users").select("role").where("id", "=", last.id).executeTakeFirstOrThrow()).role,
      "admin",
    );

    // An invited admin who has not chosen a password is not an active admin.
    await inviteStaff(db, {
      actorId: last.id,
      email: "pending-admin@mgmt.test",
      displayName: "Pending",
      role: "admin",
    });
    await assert.rejects(changeStaffRole(db, { actorId: last.id, staffId: last.id, role: "viewer" }), LastAdminError);

    await changeStaffRole(db, { actorId: last.id, staffId: viewer.id, role: "admin" });
    await changeStaffRole(db, { actorId: viewer.id, staffId: last.id, role: "operator" });
    await assert.rejects(
      changeStaffRole(db, { actorId: viewer.id, staffId: viewer.id, role: "operator" }),
      LastAdminError,
    );
  });

  test("a password reset ends the sessions and the old password at once; the link sets a new one", async () => {
    const { db } = ctx.conn;
    const boss = await admin();
    const op = await admin("operator");
    const session = await createStaffSession(db, op.id, 12 * HOUR);
    const link = await issuePasswordReset(db, { actorId: boss.id, staffId: op.id });
    assert.equal(await getStaffBySession(db, session.id), null);
    assert.equal(await verifyStaffCredentials(db, op.email, PASSWORD), null);
    assert.equal((await viewPasswordLink(db, link.token)).purpose, "reset");
    await redeemPasswordLink(db, link.token, CHOSEN);
    assert.equal((await verifyStaffCredentials(db, op.email, CHOSEN))?.id, op.id);
    await assert.rejects(issuePasswordReset(db, { actorId: boss.id, staffId: boss.id }), StaffChangeRefusedError);
  });

  test("changing one's own password needs the current one and ends every other session", async () => {
    const { db } = ctx.conn;
    const me = await admin("viewer");
    const here = await createStaffSession(db, me.id, 12 * HOUR, "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0");
    const elsewhere = await createStaffSession(db, me.id, 12 * HOUR, "Mozilla/5.0 (Macintosh) Firefox/133.0");
    const change = (currentPassword: string, newPassword: string) =>
      changeOwnPassword(db, { staffId: me.id, currentPassword, newPassword, keepSessionId: here.id });
    await assert.rejects(
      change("wrong current password", CHOSEN),
      (e) => e instanceof InvalidStaffInputError && e.field === "currentPassword",
    );
    await assert.rejects(change(PASSWORD, "aaaaaaaaaaaaaaa"), /Repeated characters/);
    assert.equal((await listOwnSessions(db, me.id, here.id)).length, 2);
    await change(PASSWORD, CHOSEN);
    assert.equal(await getStaffBySession(db, elsewhere.id), null);
    assert.equal((await getStaffBySession(db, here.id))?.id, me.id);
    const sessions = await listOwnSessions(db, me.id, here.id);
    assert.deepEqual(
      sessions.map((s) => [s.current, s.userAgent]),
      [[true, "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"]],
    );
    const other = await createStaffSession(db, me.id, 12 * HOUR);
    const someoneElse = await admin("viewer");
    const theirs = await createStaffSession(db, someoneElse.id, 12 * HOUR);
    const theirKey = (await listOwnSessions(db, someoneElse.id, theirs.id))[0]!.key;
    assert.equal(await endOwnSession(db, me.id, theirKey), false, "another account's session is not mine to end");
    assert.equal((await getStaffBySession(db, theirs.id))?.id, someoneElse.id);
    assert.equal(await endAllOwnSessions(db, me.id), 2);
    assert.equal(await getStaffBySession(db, other.id), null);
    assert.equal(await getStaffBySession(db, here.id), null);
  });

  test("rolling 20250106 back and forth loses nothing, and a disabled account stays locked out meanwhile", async () => {
    const { db } = ctx.conn;
    const boss = await admin();
    const op = await admin("operator");
    await setStaffDisabled(db, { actorId: boss.id, staffId: op.id, disabled: true });
    const link = await inviteStaff(db, {
      actorId: boss.id,
      email: "kept@mgmt.test",
      displayName: "Kept",
      role: "viewer",
    });
    const before = {
      staff: await listStaffOverview(db),
      changes: await listStaffChanges(db, 1000),
    };
    await staffManagementMigration.down(db);
    const hash = await db
      .selectFrom("staff_users")
      .select("password_hash")
      .where("id", "=", op.id)
      .executeTakeFirstOrThrow();
    assert.match(hash.password_hash, /^disabled:/, "code from before 20250106 cannot let the disabled account in");
    await staffManagementMigration.up(db);
    assert.deepEqual(await listStaffOverview(db), before.staff);
    assert.deepEqual(await listStaffChanges(db, 1000), before.changes);
    await redeemPasswordLink(db, link.token, CHOSEN);
    await setStaffDisabled(db, { actorId: boss.id, staffId: op.id, disabled: false });
    assert.equal((await verifyStaffCredentials(db, op.email, PASSWORD))?.id, op.id);
  });
});
