import { type RawBuilder, sql, type Transaction } from "kysely";
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

/** Where a page of users starts or ends: the email and id of the row next to it. */
export interface UserCursor {
  email: string;
  id: string;
}

export interface UsersPage {
  users: Array<{ id: string; email: string; display_name: string }>;
  /** Users matching `q` in all. */
  total: number;
  /** Matching users before this page (its first row is number offset + 1). */
  offset: number;
  /** The cursors of the neighbouring pages; null at either end. */
  previous: UserCursor | null;
  next: UserCursor | null;
}

export interface UsersPageOptions {
  q: string;
  after?: UserCursor;
  before?: UserCursor;
  limit: number;
}

/**
 * One page of the users matching `q`, in natural email order (user2 before user10), by keyset:
 * the rows after `after` or before `before` (the first page when neither), so a page costs the
 * same wherever it is and a user added meanwhile neither repeats nor skips a row.
 */
export async function listUsersPage(db: Db, options: UsersPageOptions): Promise<UsersPage> {
  // The first page has no rows before it, so its count needs none of its rows: read side by side.
  const firstPage = !options.after && !options.before;
  const [users, firstPageCounts] = await Promise.all([
    usersPageRows(db, options).execute(),
    firstPage ? usersPageCounts(db, options.q, undefined).executeTakeFirstOrThrow() : null,
  ]);
  if (options.before) users.reverse();
  const first = users[0];
  const { total, offset } = firstPageCounts ?? (await usersPageCounts(db, options.q, first).executeTakeFirstOrThrow());
  const last = users.at(-1);
  const edge = (row: { email: string; id: string } | undefined) => (row ? { email: row.email, id: row.id } : null);
  return {
    users,
    total,
    offset,
    previous: offset > 0 ? edge(first) : null,
    next: offset + users.length < total ? edge(last) : null,
  };
}

/** The rows of one page (backwards from `before`, nearest first). Exported so tests can EXPLAIN it. */
export function usersPageRows(db: Db, { q, after, before, limit }: UsersPageOptions) {
  const backwards = before !== undefined;
  const cursor = before ?? after;
  const query = db
    .selectFrom("users")
    .select(["id", "email", "display_name"])
    .where(matching(q))
    .orderBy(naturalOrder(backwards ? "desc" : "asc"))
    .limit(limit);
  if (!cursor) return query;
  return query.where(
    sql<boolean>`${naturalKey(sql`email`, sql`id`)} ${sql.raw(backwards ? "<" : ">")} ${naturalKey(sql.val(cursor.email), sql`${cursor.id}::uuid`)}`,
  );
}

/**
 * The users matching `q`, and those before the page whose first row is `first`. Exported so tests
 * can EXPLAIN it. The rows before are counted over the page's own keyset predicate and in the
 * key's order, so the count walks the index of 20250116 (index only) up to the page. Unordered,
 * the planner costs the key's regexp_replace calls as nearly free and prefers a scan computing
 * them for every row: seconds at 100k users instead of milliseconds.
 */
export function usersPageCounts(db: Db, q: string, first: UserCursor | undefined) {
  const rowsBefore = first
    ? db
        .selectFrom("users")
        .select(sql`1`.as("one"))
        .where(matching(q))
        .where(
          sql<boolean>`${naturalKey(sql`email`, sql`id`)} < ${naturalKey(sql.val(first.email), sql`${first.id}::uuid`)}`,
        )
        .orderBy(naturalOrder("desc"))
    : null;
  const offset = rowsBefore ? sql<number>`(select count(*)::int from (${rowsBefore}) as before_page)` : sql<number>`0`;
  return db
    .selectFrom("users")
    .select([sql<number>`count(*)::int`.as("total"), offset.as("offset")])
    .where(matching(q));
}

function matching(q: string) {
  const text = q
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`);
  return text
    ? sql<boolean>`(lower(email) like ${`${text}%`} or display_name ilike ${`%${text}%`})`
    : sql<boolean>`true`;
}

// Natural order of emails: every run of digits compared as a number (user2 before user10), by
// padding each run to 20 digits (prefix 19 zeros, keep the last 20), then the email itself and the
// id, so the order is total and a keyset cursor is exact. All immutable, so the expression index
// of migration 20250116 (ix_users_natural_email) serves the order, the cursor and the offset: its
// definition repeats this expression to the character, and must change with it.
const naturalText = (email: RawBuilder<unknown>) =>
  sql`regexp_replace(regexp_replace(lower(${email}), '([0-9]+)', '0000000000000000000\\1', 'g'), '0*([0-9]{20})', '\\1', 'g')`;

function naturalKey(email: RawBuilder<unknown>, id: RawBuilder<unknown>) {
  return sql`(${naturalText(email)}, lower(${email}), ${id})`;
}

function naturalOrder(direction: "asc" | "desc") {
  const d = sql.raw(direction);
  return sql`${naturalText(sql`email`)} ${d}, lower(email) ${d}, id ${d}`;
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
