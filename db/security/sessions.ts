import { createHash, randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { config } from "../config.js";
import type { Database, StaffUser as StaffUserRow } from "../schema.js";

// Staff sign-in sessions. The browser's cookie holds a random id (32 bytes); the table holds only
// its sha256, so a copy of the database (a backup, a replica) hands out no live sessions. A
// session ends at its fixed expiry (12 hours) or after SESSION_IDLE_MINUTES without a request,
// whichever comes first.

export type SessionStaff = Pick<
  StaffUserRow,
  "id" | "email" | "display_name" | "role" | "created_at" | "last_sign_in_at"
>;

export interface CreatedSession {
  /** The id for the cookie; only its hash is stored. */
  id: string;
  expiresAt: Date;
}

/** last_seen_at is written at most this often per session, so page views do not each write. */
const SEEN_RESOLUTION_MS = 60_000;

export const hashSessionId = (id: string): string => createHash("sha256").update(id, "utf8").digest("hex");

const idleMs = (): number => config().SESSION_IDLE_MINUTES * 60_000;

/**
 * Opens a session: a fresh random id every time, so an id seen before sign-in is never valid
 * after it. Also records the sign-in and sweeps the account's ended sessions.
 */
export async function createStaffSession(
  db: Kysely<Database>,
  staffId: string,
  ttlMs: number,
  userAgent: string | null = null,
): Promise<CreatedSession> {
  const id = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + ttlMs);
  await db
    .insertInto("staff_sessions")
    .values({
      id: hashSessionId(id),
      staff_id: staffId,
      expires_at: expiresAt,
      last_seen_at: new Date(),
      id_hashed: true,
      // Only to name the browser on /account; a header of any length is cut short.
      user_agent: userAgent?.slice(0, 512) ?? null,
    })
    .execute();
  await db.updateTable("staff_users").set({ last_sign_in_at: new Date() }).where("id", "=", staffId).execute();
  await db
    .deleteFrom("staff_sessions")
    .where("staff_id", "=", staffId)
    .where((eb) =>
      eb.or([eb("expires_at", "<=", new Date()), eb("last_seen_at", "<", new Date(Date.now() - idleMs()))]),
    )
    .execute();
  return { id, expiresAt };
}

/** The signed-in account behind a cookie's session id; null when unknown, expired or idle too long. */
export async function getStaffBySession(db: Kysely<Database>, sessionId: string): Promise<SessionStaff | null> {
  const idle = idleMs();
  const row = await db
    .selectFrom("staff_sessions as s")
    .innerJoin("staff_users as u", "u.id", "s.staff_id")
    .select([
      "u.id",
      "u.email",
      "u.display_name",
      "u.role",
      "u.created_at",
      "u.last_sign_in_at",
      "s.id as session_hash",
      "s.last_seen_at",
    ])
    .where("s.id", "=", hashSessionId(sessionId))
    // Disabling an account deletes its sessions; this holds even for one opened in between.
    .where("u.disabled_at", "is", null)
    .where("s.expires_at", ">", sql<Date>`now()`)
    .where(
      sql<Date>`coalesce(s.last_seen_at, s.created_at)`,
      ">",
      sql<Date>`now() - make_interval(secs => ${idle / 1000})`,
    )
    .executeTakeFirst();
  if (!row) return null;
  const { session_hash: hash, last_seen_at: seen, ...staff } = row;
  if (!seen || Date.now() - new Date(seen).getTime() >= SEEN_RESOLUTION_MS) {
    await db
      .updateTable("staff_sessions")
      .set({ last_seen_at: sql`now()` })
      .where("id", "=", hash)
      .execute();
  }
  return staff;
}

export async function deleteStaffSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom("staff_sessions").where("id", "=", hashSessionId(sessionId)).execute();
}
