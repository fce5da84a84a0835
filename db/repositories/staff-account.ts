import bcrypt from "bcryptjs";
import { sql } from "kysely";
import { hashSessionId } from "../security/sessions.js";
import { recordStaffChange } from "./staff-audit.js";
import { BCRYPT_COST, checkNewPassword, InvalidStaffInputError } from "./staff.js";
import { type Db, inTransaction } from "./transaction.js";

// What every staff member does to their own account on /account: change the password (the
// current one is required; every other session ends) and see and end their sessions.

export interface OwnSession {
  /** The stored hash of the session id: it names the row, and cannot be turned back into a cookie. */
  key: string;
  startedAt: Date;
  lastUsedAt: Date | null;
  userAgent: string | null;
  current: boolean;
}

/**
 * Changes the signed-in person's password. The session `keepSessionId` (the one asking) stays
 * signed in; every other session of the account ends. Throws InvalidStaffInputError on the
 * currentPassword field when it is wrong, on the password field when the new one breaks the rule.
 */
export function changeOwnPassword(
  db: Db,
  input: { staffId: string; currentPassword: string; newPassword: string; keepSessionId: string },
) {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom("staff_users")
      .select(["id", "email", "display_name", "password_hash"])
      .where("id", "=", input.staffId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!(await bcrypt.compare(input.currentPassword, row.password_hash))) {
      throw new InvalidStaffInputError("currentPassword", "The current password is not right.");
    }
    if (input.newPassword === input.currentPassword) {
      throw new InvalidStaffInputError("password", "Choose a password different from the current one.");
    }
    checkNewPassword(input.newPassword, [row.email, row.display_name]);
    await trx
      .updateTable("staff_users")
      .set({ password_hash: await bcrypt.hash(input.newPassword, BCRYPT_COST) })
      .where("id", "=", row.id)
      .execute();
    const ended = await trx
      .deleteFrom("staff_sessions")
      .where("staff_id", "=", row.id)
      .where("id", "!=", hashSessionId(input.keepSessionId))
      .executeTakeFirst();
    await recordStaffChange(trx, { actorId: row.id, staff: row, action: "password_changed" });
    return { endedSessions: Number(ended.numDeletedRows) };
  });
}

/** The account's live sessions, the most recently used first. */
export async function listOwnSessions(db: Db, staffId: string, currentSessionId: string): Promise<OwnSession[]> {
  const current = hashSessionId(currentSessionId);
  const rows = await db
    .selectFrom("staff_sessions")
    .select(["id", "created_at", "last_seen_at", "user_agent"])
    .where("staff_id", "=", staffId)
    .where("expires_at", ">", sql<Date>`now()`)
    .orderBy(sql`coalesce(last_seen_at, created_at)`, "desc")
    .execute();
  return rows.map((r) => ({
    key: r.id,
    startedAt: r.created_at,
    lastUsedAt: r.last_seen_at,
    userAgent: r.user_agent,
    current: r.id === current,
  }));
}

/** Ends one of the account's own sessions; false when it was not (or no longer) theirs. */
export async function endOwnSession(db: Db, staffId: string, key: string): Promise<boolean> {
  const result = await db
    .deleteFrom("staff_sessions")
    .where("staff_id", "=", staffId)
    .where("id", "=", key)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** "Sign out everywhere": every session of the account, this one included. */
export async function endAllOwnSessions(db: Db, staffId: string): Promise<number> {
  const result = await db.deleteFrom("staff_sessions").where("staff_id", "=", staffId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
