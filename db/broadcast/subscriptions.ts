import type { Kysely } from "kysely";
import { listDefaultSymbols } from "../queries/default-symbols.js";
import { listUserSymbols } from "../queries/user-symbols.js";
import type { Database } from "../schema.js";

// What a WebSocket client follows, as symbol ids: the defaults (anonymous), a user's visible
// symbols (token), or tickers it asked for. Each comes from the seed's query for it.

export interface FollowedSymbol {
  id: string;
  ticker: string;
  display: string;
}

export async function defaultSymbolSet(db: Kysely<Database>): Promise<FollowedSymbol[]> {
  return (await listDefaultSymbols(db)).map((s) => ({ id: s.id, ticker: s.ticker, display: s.display }));
}

export async function userSymbolSet(db: Kysely<Database>, userId: string): Promise<FollowedSymbol[]> {
  return (await listUserSymbols(db, userId)).map((s) => ({ id: s.id, ticker: s.ticker, display: s.display }));
}

/** Active symbols with these tickers (a ticker may be listed on several markets). */
export async function symbolsByTicker(db: Kysely<Database>, tickers: readonly string[]): Promise<FollowedSymbol[]> {
  if (tickers.length === 0) return [];
  return db
    .selectFrom("symbols")
    .select(["id", "ticker", "display"])
    .where("ticker", "in", [...new Set(tickers)])
    .where("is_active", "=", true)
    .orderBy("ticker")
    .execute();
}
