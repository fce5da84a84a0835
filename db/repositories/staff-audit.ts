import type { Db } from "./transaction.js";

// Changes to staff accounts: who made them, to which account, when, before and after. Written in
// the same transaction as the change (staff-management.ts, staff-account.ts), shown to admins on
// /audit. Never a password, a link or a session id.

export type StaffAuditAction =
  | "invited"
  | "role_changed"
  | "disabled"
  | "enabled"
  | "password_reset_issued"
  | "invitation_accepted"
  | "password_reset_used"
  | "password_changed";

export interface StaffAuditInput {
  actorId: string | null;
  staff: { id: string; email: string };
  action: StaffAuditAction;
  before?: string | null;
  after?: string | null;
}

export async function recordStaffChange(db: Db, change: StaffAuditInput): Promise<void> {
  await db
    .insertInto("staff_audit")
    .values({
      actor_id: change.actorId,
      staff_id: change.staff.id,
      staff_email: change.staff.email,
      action: change.action,
      before_value: change.before ?? null,
      after_value: change.after ?? null,
    })
    .execute();
}

export interface StaffAuditEntry {
  id: string;
  createdAt: Date;
  actorName: string | null;
  staffName: string | null;
  staffEmail: string;
  action: string;
  before: string | null;
  after: string | null;
}

/** The latest changes, newest first. */
export async function listStaffChanges(db: Db, limit = 50): Promise<StaffAuditEntry[]> {
  const rows = await db
    .selectFrom("staff_audit as a")
    .leftJoin("staff_users as actor", "actor.id", "a.actor_id")
    .leftJoin("staff_users as target", "target.id", "a.staff_id")
    .select([
      "a.id",
      "a.created_at",
      "actor.display_name as actor_name",
      "target.display_name as staff_name",
      "a.staff_email",
      "a.action",
      "a.before_value",
      "a.after_value",
    ])
    .orderBy("a.created_at", "desc")
    .orderBy("a.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    actorName: r.actor_name,
    staffName: r.staff_name,
    staffEmail: r.staff_email,
    action: r.action,
    before: r.before_value,
    after: r.after_value,
  }));
}
