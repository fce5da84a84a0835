import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";

// Rows the symbol API's tests (db/test and app/api) and e2e specs need: end users and symbol ids.

export async function createEndUser(db: Kysely<Database>, email: string): Promise<string> {
  const row = await db
    .insertInto("users")
    .values({ email, display_name: email })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteEndUser(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom("users").where("id", "=", userId).execute();
}

export async function symbolIdOf(db: Kysely<Database>, ticker: string): Promise<string> {
  return (await db.selectFrom("symbols").select("id").where("ticker", "=", ticker).executeTakeFirstOrThrow()).id;
}

/** What a staff edit of the defaults does to the row (the console's own repository is not needed here). */
export async function setDefaultFlag(db: Kysely<Database>, ticker: string, isDefault: boolean): Promise<void> {
  await db
    .updateTable("symbols")
    .set((eb) => ({ is_default_symbol: isDefault, version: eb("version", "+", 1) }))
    .where("ticker", "=", ticker)
    .execute();
}

/** A price tick from the feed. */
export async function raisePrice(db: Kysely<Database>, ticker: string): Promise<void> {
  await db
    .updateTable("symbols")
    .set({ current_price: sql`coalesce(current_price, 0) + 1` })
    .where("ticker", "=", ticker)
    .execute();
}

/** A symbol deprecated by staff (inactive, and so no longer a default). */
export async function deactivateSymbol(db: Kysely<Database>, ticker: string): Promise<void> {
  await db
    .updateTable("symbols")
    .set({ is_active: false, is_default_symbol: false })
    .where("ticker", "=", ticker)
    .execute();
}
