import { createHash, randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import { sql } from "kysely";
import type { StaffLinkPurpose, StaffRole } from "../schema.js";
import { recordStaffChange } from "./staff-audit.js";
import {
  BCRYPT_COST,
  checkNewPassword,
  createStaffUser,
  InvalidStaffInputError,
  normalizeEmail,
  STAFF_ROLES,
} from "./staff.js";
import { type Db, inTransaction } from "./transaction.js";

// What admins do to staff accounts on /staff, and the one-time links with which a person chooses
// a password (an invitation, or a reset an admin issued). Each change is one transaction with its
// audit row. The rule "there is always an active admin" is checked inside that transaction, with
// the active admins' rows locked, so two admins demoting each other at once cannot both succeed.

/** How long an invitation or reset link works. */
export const LINK_TTL_MS = 24 * 60 * 60 * 1000;

export type StaffStatus = "active" | "invited" | "disabled";

export interface StaffOverview {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  status: StaffStatus;
  createdAt: Date;
  lastSignInAt: Date | null;
  createdByName: string | null;
  /** An unused link that still works: what it is for and until when. */
  pendingLink: { purpose: StaffLinkPurpose; expiresAt: Date } | null;
}

/** The change would leave no active admin; `message` says which change was refused. */
export class LastAdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LastAdminError";
  }
}

/** The account is not there (or no longer), or the change does not apply to it. */
export class StaffChangeRefusedError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409 = 409,
  ) {
    super(message);
    this.name = "StaffChangeRefusedError";
  }
}

/** A link that does not work: unknown or tampered (404), used, expired or its account disabled (410). */
export class PasswordLinkError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 410,
  ) {
    super(message);
    this.name = "PasswordLinkError";
  }
}

const hashLinkToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

/** A bcrypt hash of a password nobody knows: an account waiting for its link cannot sign in. */
const unknownPasswordHash = () => bcrypt.hash(randomBytes(32).toString("base64url"), BCRYPT_COST);

export const statusOf = (row: { disabled_at: Date | null; password_set_at: Date | null }): StaffStatus =>
  row.disabled_at ? "disabled" : row.password_set_at ? "active" : "invited";

export async function listStaffOverview(db: Db): Promise<StaffOverview[]> {
  const rows = await db
    .selectFrom("staff_users as u")
    .leftJoin("staff_users as creator", "creator.id", "u.created_by")
    .leftJoin("staff_password_links as l", (join) =>
      join
        .onRef("l.staff_id", "=", "u.id")
        .on("l.used_at", "is", null)
        .on("l.expires_at", ">", sql<Date>`now()`),
    )
    .select([
      "u.id",
      "u.email",
      "u.display_name",
      "u.role",
      "u.disabled_at",
      "u.password_set_at",
      "u.created_at",
      "u.last_sign_in_at",
      "creator.display_name as created_by_name",
      "l.purpose as link_purpose",
      "l.expires_at as link_expires_at",
    ])
    .orderBy(sql`case u.role when 'admin' then 0 when 'operator' then 1 else 2 end`)
    .orderBy("u.email")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    status: statusOf(r),
    createdAt: r.created_at,
    lastSignInAt: r.last_sign_in_at,
    createdByName: r.created_by_name,
    pendingLink: r.link_purpose && r.link_expires_at ? { purpose: r.link_purpose, expiresAt: r.link_expires_at } : null,
  }));
}

async function lockedStaff(trx: Db, staffId: string) {
  const row = await trx
    .selectFrom("staff_users")
    .select(["id", "email", "display_name", "role", "disabled_at", "password_set_at"])
    .where("id", "=", staffId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new StaffChangeRefusedError("That staff account does not exist (anymore).", 404);
  return row;
}

/**
 * Refuses when `staffId` is the only active admin. The active admins' rows are locked first: a
 * concurrent change waits, then sees this one's result.
 */
async function assertNotLastActiveAdmin(trx: Db, staffId: string, refused: string): Promise<void> {
  const admins = await trx
    .selectFrom("staff_users")
    .select("id")
    .where("role", "=", "admin")
    .where("disabled_at", "is", null)
    .where("password_set_at", "is not", null)
    .forUpdate()
    .execute();
  if (admins.some((a) => a.id === staffId) && admins.length <= 1) {
    throw new LastAdminError(`${refused}: it is the only active admin, and Symbol Desk always keeps one.`);
  }
}

async function issueLink(trx: Db, staffId: string, purpose: StaffLinkPurpose, actorId: string) {
  // A new link replaces any earlier one that was not used.
  await trx.deleteFrom("staff_password_links").where("staff_id", "=", staffId).where("used_at", "is", null).execute();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + LINK_TTL_MS);
  await trx
    .insertInto("staff_password_links")
    .values({
      staff_id: staffId,
      purpose,
      token_hash: hashLinkToken(token),
      created_by: actorId,
      expires_at: expiresAt,
    })
    .execute();
  return { token, expiresAt };
}

export interface IssuedLink {
  staffId: string;
  email: string;
  /** The secret part of the link: shown once to the admin, only its hash is kept. */
  token: string;
  expiresAt: Date;
}

/** Creates the account (no usable password yet) and its invitation link. */
export function inviteStaff(
  db: Db,
  input: { actorId: string; email: string; displayName: string; role: StaffRole },
): Promise<IssuedLink> {
  return inTransaction(db, async (trx) => {
    const staff = await createStaffUser(trx, {
      email: input.email,
      displayName: input.displayName,
      role: input.role,
      // A password nobody knows: the account cannot sign in until its link is used.
      password: randomBytes(24).toString("base64url"),
    });
    await trx
      .updateTable("staff_users")
      .set({ password_set_at: null, created_by: input.actorId })
      .where("id", "=", staff.id)
      .execute();
    const link = await issueLink(trx, staff.id, "invite", input.actorId);
    await recordStaffChange(trx, { actorId: input.actorId, staff, action: "invited", after: staff.role });
    return { staffId: staff.id, email: staff.email, ...link };
  });
}

export function changeStaffRole(db: Db, input: { actorId: string; staffId: string; role: StaffRole }) {
  if (!STAFF_ROLES.includes(input.role)) {
    throw new InvalidStaffInputError("role", `Unknown role ${input.role}: use one of ${STAFF_ROLES.join(", ")}.`);
  }
  return inTransaction(db, async (trx) => {
    const staff = await lockedStaff(trx, input.staffId);
    if (staff.role === input.role) return { changed: false, before: staff.role };
    if (staff.role === "admin")
      await assertNotLastActiveAdmin(trx, staff.id, `${staff.email} cannot stop being an admin`);
    await trx.updateTable("staff_users").set({ role: input.role }).where("id", "=", staff.id).execute();
    await recordStaffChange(trx, {
      actorId: input.actorId,
      staff,
      action: "role_changed",
      before: staff.role,
      after: input.role,
    });
    return { changed: true, before: staff.role };
  });
}

/** Disables (every session ends, pending links stop working) or enables an account. */
export function setStaffDisabled(db: Db, input: { actorId: string; staffId: string; disabled: boolean }) {
  return inTransaction(db, async (trx) => {
    const staff = await lockedStaff(trx, input.staffId);
    if (input.disabled && staff.id === input.actorId) {
      throw new StaffChangeRefusedError("You cannot disable your own account; another admin can.");
    }
    if (!!staff.disabled_at === input.disabled) return { changed: false };
    if (input.disabled) {
      await assertNotLastActiveAdmin(trx, staff.id, `${staff.email} cannot be disabled`);
      await trx.deleteFrom("staff_sessions").where("staff_id", "=", staff.id).execute();
      await trx
        .deleteFrom("staff_password_links")
        .where("staff_id", "=", staff.id)
        .where("used_at", "is", null)
        .execute();
    }
    await trx
      .updateTable("staff_users")
      .set({ disabled_at: input.disabled ? sql<Date>`now()` : null })
      .where("id", "=", staff.id)
      .execute();
    const before = statusOf(staff);
    const after = input.disabled ? "disabled" : statusOf({ disabled_at: null, password_set_at: staff.password_set_at });
    await recordStaffChange(trx, {
      actorId: input.actorId,
      staff,
      action: input.disabled ? "disabled" : "enabled",
      before,
      after,
    });
    return { changed: true };
  });
}

/**
 * A one-time link with which the person chooses a new password. The current password stops
 * working and every session of the account ends at once. An unanswered invitation gets a new one.
 */
export function issuePasswordReset(db: Db, input: { actorId: string; staffId: string }): Promise<IssuedLink> {
  return inTransaction(db, async (trx) => {
    const staff = await lockedStaff(trx, input.staffId);
    if (staff.disabled_at) throw new StaffChangeRefusedError(`${staff.email} is disabled: enable the account first.`);
    if (staff.id === input.actorId) {
      throw new StaffChangeRefusedError("Change your own password on your account page instead.");
    }
    const invited = staff.password_set_at === null;
    if (!invited) {
      await trx
        .updateTable("staff_users")
        .set({ password_hash: await unknownPasswordHash() })
        .where("id", "=", staff.id)
        .execute();
      await trx.deleteFrom("staff_sessions").where("staff_id", "=", staff.id).execute();
    }
    const link = await issueLink(trx, staff.id, invited ? "invite" : "reset", input.actorId);
    await recordStaffChange(trx, {
      actorId: input.actorId,
      staff,
      action: invited ? "invited" : "password_reset_issued",
      after: invited ? staff.role : null,
    });
    return { staffId: staff.id, email: staff.email, ...link };
  });
}

export interface PasswordLinkView {
  purpose: StaffLinkPurpose;
  email: string;
  displayName: string;
  expiresAt: Date;
}

const LINK_GONE = "This link has already been used or has expired. Ask an admin for a new one.";

async function findLink(db: Db, token: string, lock: boolean) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new PasswordLinkError("This link is not valid.", 404);
  let query = db
    .selectFrom("staff_password_links as l")
    .innerJoin("staff_users as u", "u.id", "l.staff_id")
    .select([
      "l.id",
      "l.purpose",
      "l.expires_at",
      "l.used_at",
      "u.id as staff_id",
      "u.email",
      "u.display_name",
      "u.disabled_at",
      "u.password_set_at",
    ])
    .where("l.token_hash", "=", hashLinkToken(token));
  if (lock) query = query.forUpdate();
  const link = await query.executeTakeFirst();
  if (!link) throw new PasswordLinkError("This link is not valid.", 404);
  if (link.used_at || link.disabled_at || new Date(link.expires_at).getTime() <= Date.now()) {
    throw new PasswordLinkError(LINK_GONE, 410);
  }
  return link;
}

/** What the link's page shows; throws PasswordLinkError when the link does not work. */
export async function viewPasswordLink(db: Db, token: string): Promise<PasswordLinkView> {
  const link = await findLink(db, token, false);
  return { purpose: link.purpose, email: link.email, displayName: link.display_name, expiresAt: link.expires_at };
}

/**
 * Sets the password chosen through a link, once: the link is spent, the account's other links
 * too, and (for a reset) any session that somehow remained ends. Throws InvalidStaffInputError
 * with the password rule's reason, or PasswordLinkError.
 */
export function redeemPasswordLink(db: Db, token: string, password: string) {
  return inTransaction(db, async (trx) => {
    const link = await findLink(trx, token, true);
    checkNewPassword(password, [link.email, link.display_name]);
    await trx
      .updateTable("staff_users")
      .set({
        password_hash: await bcrypt.hash(password, BCRYPT_COST),
        password_set_at: link.password_set_at ?? sql<Date>`now()`,
      })
      .where("id", "=", link.staff_id)
      .execute();
    await trx
      .updateTable("staff_password_links")
      .set({ used_at: sql`now()` })
      .where("id", "=", link.id)
      .execute();
    await trx
      .deleteFrom("staff_password_links")
      .where("staff_id", "=", link.staff_id)
      .where("used_at", "is", null)
      .execute();
    await trx.deleteFrom("staff_sessions").where("staff_id", "=", link.staff_id).execute();
    await recordStaffChange(trx, {
      actorId: link.staff_id,
      staff: { id: link.staff_id, email: link.email },
      action: link.purpose === "invite" ? "invitation_accepted" : "password_reset_used",
    });
    return { email: normalizeEmail(link.email), purpose: link.purpose };
  });
}
