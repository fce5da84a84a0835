import { sql, type Transaction } from "kysely";
import type { Database } from "../schema.js";
import { isUuid } from "../uuid.js";
import type { Db } from "./transaction.js";

// End users of myTrader (the `users` table), as the console, the API and the CLI look them up.
// Staff accounts are another table (repositories/staff.ts).

export async function userExists(db: Db, userId: string): Promise<boolean> {
  if (!isUuid(userId)) return false;
  return (await db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst()) !== undefined;
}

/** The user, or null when there is none (a malformed id included). */
export async function findUser(db: Db, userId: string) {
  if (!isUuid(userId)) return null;
  return (
    (await db
      .selectFrom("users")
      .select(["id", "email", "display_name", "created_at"])
      .where("id", "=", userId)
      .executeTakeFirst()) ?? null
  );
}

/** The user an operator names on the command line, by id or by email. */
export async function findUserByIdOrEmail(db: Db, idOrEmail: string) {
  return (
    (await db
      .selectFrom("users")
      .select(["id", "email"])
      .where(isUuid(idOrEmail) ? "id" : "email", "=", idOrEmail)
      .executeTakeFirst()) ?? null
  );
}

/** Users whose email starts with `q` or whose name contains it, by email. */
export function searchUsers(db: Db, q: string, limit = 25) {
  const text = q
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`);
  let query = db.selectFrom("users").select(["id", "email", "display_name"]);
  if (text) query = query.where(sql<boolean>`(lower(email) like ${`${text}%`} or display_name ilike ${`%${text}%`})`);
  return query.orderBy("email").limit(limit).execute();
}

/**
 * Locks the user's row for the rest of `trx`, so the writes of one user are serialised; false
 * when there is no such user.
 */
export async function lockUser(trx: Transaction<Database>, userId: string): Promise<boolean> {
  if (!isUuid(userId)) return false;
  return (
    (await trx.selectFrom("users").select("id").where("id", "=", userId).forUpdate().executeTakeFirst()) !== undefined
  );
}
