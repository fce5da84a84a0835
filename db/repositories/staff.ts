import bcrypt from "bcryptjs";
import { type Kysely, sql } from "kysely";
import { assertAcceptablePassword, MIN_PASSWORD_LENGTH } from "../rules/password.js";
import type { Database, StaffRole, StaffUser as StaffUserRow } from "../schema.js";

// Staff accounts and their sign-in sessions. Every function takes the database (or a
// transaction) first. The password hash never leaves this module.

export const STAFF_ROLES = ["viewer", "operator", "admin"] as const satisfies readonly StaffRole[];
export const BCRYPT_COST = 11;
export { MIN_PASSWORD_LENGTH };
export type { StaffRole };
export type { CreatedSession } from "../security/sessions.js";

const PUBLIC_COLUMNS = ["id", "email", "display_name", "role", "created_at", "last_sign_in_at"] as const;

/** A staff account as the rest of the project sees it: never the password hash. */
export type StaffUser = Pick<StaffUserRow, (typeof PUBLIC_COLUMNS)[number]>;

export interface NewStaffUserInput {
  email: string;
  displayName: string;
  role: StaffRole;
  password: string;
}

/** True when `role` grants at least what `minimum` grants (viewer < operator < admin). */
export function roleAtLeast(role: StaffRole, minimum: StaffRole): boolean {
  return STAFF_ROLES.indexOf(role) >= STAFF_ROLES.indexOf(minimum);
}

export class DuplicateStaffEmailError extends Error {
  constructor(readonly email: string) {
    super(`A staff account with the email ${email} already exists.`);
    this.name = "DuplicateStaffEmailError";
  }
}

export class InvalidStaffInputError extends Error {
  constructor(
    readonly field: keyof NewStaffUserInput | "currentPassword",
    message: string,
  ) {
    super(message);
    this.name = "InvalidStaffInputError";
  }
}

// Compared against when the email is unknown, so an unknown email costs as much time as a wrong
// password and the response time does not reveal which accounts exist.
const DUMMY_HASH = "$2b$11$RKRxgZA2KcV5e0azLkvI4eYtmINFnUVvAHvIjbZ2HVzJ43sdpfcIK";

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

function validate(input: NewStaffUserInput): NewStaffUserInput {
  const email = normalizeEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    throw new InvalidStaffInputError("email", `Not an email address: ${input.email}`);
  const displayName = input.displayName.trim();
  if (!displayName) throw new InvalidStaffInputError("displayName", "A display name is required.");
  if (!STAFF_ROLES.includes(input.role)) {
    throw new InvalidStaffInputError("role", `Unknown role ${input.role}: use one of ${STAFF_ROLES.join(", ")}.`);
  }
  // The whole password rule (db/rules/password.ts), so no account, whoever makes it (a page, the
  // CLI, a test's fixture), has a password the rule would refuse.
  checkNewPassword(input.password, [email, displayName]);
  return { ...input, email, displayName };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

/**
 * The whole password rule for a password a person chooses, as an InvalidStaffInputError on the
 * password field, with the reason (the estimator also tries the person's email and name).
 */
export function checkNewPassword(password: string, personal: readonly string[]): void {
  try {
    assertAcceptablePassword(password, personal);
  } catch (error) {
    throw new InvalidStaffInputError("password", (error as Error).message);
  }
}

export async function createStaffUser(db: Kysely<Database>, input: NewStaffUserInput): Promise<StaffUser> {
  const valid = validate(input);
  const passwordHash = await bcrypt.hash(valid.password, BCRYPT_COST);
  try {
    return await db
      .insertInto("staff_users")
      .values({
        email: valid.email,
        display_name: valid.displayName,
        role: valid.role,
        password_hash: passwordHash,
        password_set_at: new Date(),
      })
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirstOrThrow();
  } catch (error) {
    // ux_staff_users_email is on lower(email): the database is the judge of "duplicate".
    if (isUniqueViolation(error)) throw new DuplicateStaffEmailError(valid.email);
    throw error;
  }
}

/**
 * Creates the first admin, and only while no staff account exists: the table is locked for the
 * check, so two simultaneous first visitors cannot both become admin. Null when staff exists.
 */
export async function createFirstAdmin(
  db: Kysely<Database>,
  input: Omit<NewStaffUserInput, "role">,
): Promise<StaffUser | null> {
  const valid = validate({ ...input, role: "admin" });
  checkNewPassword(valid.password, [valid.email, valid.displayName]);
  return db.transaction().execute(async (trx) => {
    await sql`lock table staff_users in share row exclusive mode`.execute(trx);
    if ((await countStaff(trx)) > 0) return null;
    return createStaffUser(trx, { ...input, role: "admin" });
  });
}

export async function countStaff(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("staff_users")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listStaff(db: Kysely<Database>): Promise<StaffUser[]> {
  return db
    .selectFrom("staff_users")
    .select(PUBLIC_COLUMNS)
    .orderBy(sql`case role when 'admin' then 0 when 'operator' then 1 else 2 end`)
    .orderBy("email")
    .execute();
}

export async function findStaffByEmail(db: Kysely<Database>, email: string): Promise<StaffUser | null> {
  const row = await db
    .selectFrom("staff_users")
    .select(PUBLIC_COLUMNS)
    .where(sql<string>`lower(email)`, "=", normalizeEmail(email))
    .executeTakeFirst();
  return row ?? null;
}

/** Deletes the account; its sessions go with it (on delete cascade). */
export async function deleteStaffUser(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom("staff_users").where("id", "=", id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * The account when email and password match, otherwise null (same work either way). A disabled
 * account, or one whose invitation is still unanswered, never matches.
 */
export async function verifyStaffCredentials(
  db: Kysely<Database>,
  email: string,
  password: string,
): Promise<StaffUser | null> {
  const row = await db
    .selectFrom("staff_users")
    .select([...PUBLIC_COLUMNS, "password_hash", "disabled_at", "password_set_at"])
    .where(sql<string>`lower(email)`, "=", normalizeEmail(email))
    .executeTakeFirst();
  const usable = row && row.disabled_at === null && row.password_set_at !== null;
  const matches = await bcrypt.compare(password, usable ? row.password_hash : DUMMY_HASH);
  if (!usable || !matches) return null;
  const { password_hash: _hash, disabled_at: _disabled, password_set_at: _set, ...staff } = row;
  return staff;
}

// Sessions live with the other security state (ids stored hashed, idle timeout).
export { createStaffSession, deleteStaffSession, getStaffBySession } from "../security/sessions.js";
