import type { Kysely } from "kysely";
import type { Database, SecurityEventKind } from "../schema.js";

// Security events: sign-ins, failed sign-ins, throttled attempts, first-run setup. They say who
// (the staff account, or the email that was tried), from which client address and when; never a
// password, a session id or a token. Shown to admins on /audit.

export interface SecurityEventInput {
  kind: SecurityEventKind;
  staffId?: string | null;
  email?: string | null;
  clientAddress?: string | null;
}

export interface SecurityEvent {
  id: string;
  kind: SecurityEventKind;
  staffName: string | null;
  email: string | null;
  clientAddress: string | null;
  createdAt: Date;
}

const MAX_EMAIL_LENGTH = 254;

export async function recordSecurityEvent(db: Kysely<Database>, event: SecurityEventInput): Promise<void> {
  await db
    .insertInto("security_events")
    .values({
      kind: event.kind,
      staff_id: event.staffId ?? null,
      email: event.email?.trim().toLowerCase().slice(0, MAX_EMAIL_LENGTH) ?? null,
      client_address: event.clientAddress?.slice(0, 64) ?? null,
    })
    .execute();
}

/** The latest events, newest first. */
export async function listSecurityEvents(db: Kysely<Database>, limit = 50): Promise<SecurityEvent[]> {
  const rows = await db
    .selectFrom("security_events as e")
    .leftJoin("staff_users as u", "u.id", "e.staff_id")
    .select(["e.id", "e.kind", "u.display_name", "e.email", "e.client_address", "e.created_at"])
    .orderBy("e.created_at", "desc")
    .orderBy("e.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    staffName: r.display_name,
    email: r.email,
    clientAddress: r.client_address,
    createdAt: r.created_at,
  }));
}
