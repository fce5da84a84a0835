import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";

// Rows the integration tests and e2e specs need: end users and symbol ids.

/** An end user of the platform (the app's users table), for any test that needs one. */
export async function createEndUser(db: Kysely<Database>, email: string, displayName = email): Promise<string> {
  const row = await db
    .insertInto("users")
    .values({ email, display_name: displayName })
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
