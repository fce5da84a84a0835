import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema.js";

// What every repository function takes first: the database or a caller's transaction (a
// transaction is a Kysely too). A write that must be one transaction opens it through
// `inTransaction`, so a caller that is already in one (an undo, a bulk edit, a test) joins it.

export type Db = Kysely<Database>;

/** Runs `fn` in a transaction, joining the caller's when `db` already is one. */
export function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}
