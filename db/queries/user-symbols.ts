import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

// Critical query 2 of the seed (target < 2 ms): an authenticated user's dashboard, pinned first,
// then in the user's order. Served by ix_udp_user_visible_order (ordered, partial on is_visible)
// and the symbols primary key.

export function userSymbolsQuery(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom("symbols as s")
    .innerJoin("user_dashboard_preferences as udp", "udp.symbol_id", "s.id")
    .select([
      "s.id", "s.ticker", "s.display", "s.current_price", "s.price_change_24h", "s.market_id",
      "s.asset_class_id", "s.is_default_symbol",
      "udp.id as preference_id", "udp.display_order", "udp.is_pinned", "udp.is_visible",
    ])
    .where("udp.user_id", "=", userId)
    .where("udp.is_visible", "=", true)
    .where("s.is_active", "=", true)
    .orderBy("udp.is_pinned", "desc")
    .orderBy("udp.display_order");
}

export type UserSymbol = Awaited<ReturnType<ReturnType<typeof userSymbolsQuery>["execute"]>>[number];

export const listUserSymbols = (db: Kysely<Database>, userId: string) => userSymbolsQuery(db, userId).execute();
