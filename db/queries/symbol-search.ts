import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";

// Symbol search of the API: active symbols whose ticker or display name matches, optionally in one
// asset class and market. Served by the indexes of 20250103 (partial on is_active):
// - three characters or more: "contains" on ticker and name, through the trigram GIN indexes
//   ix_symbols_search_ticker_trgm and ix_symbols_search_display_trgm (a BitmapOr of the two);
// - one or two characters (too short for trigrams): a ticker prefix, through the btree
//   ix_symbols_search_ticker_prefix.
// Exact ticker first, then ticker prefixes, then the rest alphabetically.

export const SEARCH_MAX_LIMIT = 50;
/** Shorter queries match ticker prefixes only: pg_trgm cannot index fewer than three characters. */
export const SEARCH_MIN_CONTAINS_LENGTH = 3;

export interface SymbolSearchParams {
  q: string;
  /** Asset class code, e.g. CRYPTO. */
  assetClass?: string;
  /** Market code, e.g. BINANCE. */
  market?: string;
  limit: number;
}

/** Escapes LIKE's wildcards so a user's "%" or "_" matches itself. */
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function symbolSearchQuery(db: Kysely<Database>, params: SymbolSearchParams) {
  const needle = params.q.trim().toLowerCase();
  const escaped = escapeLike(needle);
  const limit = Math.max(1, Math.min(SEARCH_MAX_LIMIT, Math.trunc(params.limit)));
  const ticker = sql<string>`lower(s.ticker)`;
  const display = sql<string>`lower(s.display)`;
  return db
    .selectFrom("symbols as s")
    .innerJoin("markets as m", "m.id", "s.market_id")
    .innerJoin("asset_classes as ac", "ac.id", "s.asset_class_id")
    .select([
      "s.id",
      "s.ticker",
      "s.display",
      "s.full_name",
      "s.current_price",
      "s.price_change_24h",
      "m.code as market",
      "ac.code as asset_class",
    ])
    .where("s.is_active", "=", true)
    .where((eb) =>
      needle.length >= SEARCH_MIN_CONTAINS_LENGTH
        ? eb.or([eb(ticker, "like", `%${escaped}%`), eb(display, "like", `%${escaped}%`)])
        : eb(ticker, "like", `${escaped}%`),
    )
    .$if(params.assetClass !== undefined, (qb) => qb.where("ac.code", "=", params.assetClass!))
    .$if(params.market !== undefined, (qb) => qb.where("m.code", "=", params.market!))
    .orderBy(sql`${ticker} = ${needle}`, "desc")
    .orderBy(sql`${ticker} like ${`${escaped}%`}`, "desc")
    .orderBy("s.ticker")
    .orderBy("s.id")
    .limit(limit);
}

export type SymbolSearchHit = Awaited<ReturnType<ReturnType<typeof symbolSearchQuery>["execute"]>>[number];

export const searchSymbols = (db: Kysely<Database>, params: SymbolSearchParams) =>
  symbolSearchQuery(db, params).execute();
