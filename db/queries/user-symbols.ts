import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";
import { compileOnce } from "./compiled.js";

// Critical query 2 of the seed (target < 2 ms): an authenticated user's dashboard, pinned first,
// then in the user's order. Served by ix_udp_user_visible_order (ordered, partial on is_visible,
// covering since 20250111, so the preferences are read index-only with no sort) and one probe of
// symbols by id per preference (through ix_symbols_id_hash since 20250119: half the pages of a
// primary-key probe).
//
// The symbols side is a LATERAL subquery with OFFSET 0, which PostgreSQL plans as it is written:
// a probe per preference. As a plain join the planner weighed 200 random probes against one
// sequential scan of the catalogue and, at 10k symbols, chose the scan (2.9 ms instead of 0.7 ms
// for a user with 200 symbols): every page is in memory, so the probes are far cheaper than its
// cost model says. A dashboard is a few dozen symbols, never a fraction of the catalogue.

export function userSymbolsQuery(db: Kysely<Database>, userId: string) {
  return userSymbolsSelect(db, userId, "column");
}

/**
 * The same list while 20250108 is rolled back: nothing but the columns the rollback leaves in place
 * (is_default_symbol is null: the flag is in the rollback's backup, and the list does not need it).
 */
export function userSymbolsWithout20250108Query(db: Kysely<Database>, userId: string) {
  return userSymbolsSelect(db, userId, "absent");
}

function userSymbolsSelect(db: Kysely<Database>, userId: string, defaultFlag: "column" | "absent") {
  return db
    .selectFrom("user_dashboard_preferences as udp")
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom("symbols")
          .select([
            "id",
            "ticker",
            "display",
            "current_price",
            "price_change_24h",
            "market_id",
            "asset_class_id",
            defaultFlag === "column"
              ? sql.ref<boolean | null>("is_default_symbol").as("is_default_symbol")
              : sql<boolean | null>`null`.as("is_default_symbol"),
          ])
          .whereRef("symbols.id", "=", "udp.symbol_id")
          .where("symbols.is_active", "=", true)
          .offset(0)
          .as("s"),
      (join) => join.onTrue(),
    )
    .select([
      "s.id",
      "s.ticker",
      "s.display",
      "s.current_price",
      "s.price_change_24h",
      "s.market_id",
      "s.asset_class_id",
      "s.is_default_symbol",
      "udp.id as preference_id",
      "udp.display_order",
      "udp.is_pinned",
      "udp.is_visible",
    ])
    .where("udp.user_id", "=", userId)
    .where("udp.is_visible", "=", true)
    .orderBy("udp.is_pinned", "desc")
    .orderBy("udp.display_order");
}

export type UserSymbol = Awaited<ReturnType<ReturnType<typeof userSymbolsQuery>["execute"]>>[number];

// What the API and the pages run: the same definitions, compiled once (compiled.ts).
const userSymbols = compileOnce(["userId"], (db, p) => userSymbolsQuery(db, p.userId));
const userSymbolsWithout20250108 = compileOnce(["userId"], (db, p) => userSymbolsWithout20250108Query(db, p.userId));

export const listUserSymbols = (db: Kysely<Database>, userId: string): Promise<UserSymbol[]> =>
  userSymbols(db, { userId });

export const listUserSymbolsWithout20250108 = (db: Kysely<Database>, userId: string): Promise<UserSymbol[]> =>
  userSymbolsWithout20250108(db, { userId });
