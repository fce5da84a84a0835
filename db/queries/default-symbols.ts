import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

// Critical query 1 of the seed (target < 1 ms): what anonymous users see.
// Served by ix_symbols_default_order, a partial covering index, so this is an index-only scan.

export function defaultSymbolsQuery(db: Kysely<Database>) {
  return db
    .selectFrom("symbols")
    .select(["id", "ticker", "display", "current_price", "price_change_24h"])
    .where("is_default_symbol", "=", true)
    .where("is_active", "=", true)
    .orderBy("display_order");
}

export type DefaultSymbol = Awaited<ReturnType<ReturnType<typeof defaultSymbolsQuery>["execute"]>>[number];

export const listDefaultSymbols = (db: Kysely<Database>) => defaultSymbolsQuery(db).execute();
