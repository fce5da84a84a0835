import type { DefaultSymbol } from "#db/queries/default-symbols";
import type { SymbolSearchHit } from "#db/queries/symbol-search";
import type { Dashboard, UserSymbolPreference } from "#db/repositories/user-preferences";
import type { DefaultSymbolsJson, SearchJson, UserSymbolPreferenceJson, UserSymbolsJson } from "./schemas.server";

// Rows of db/ as the API's JSON, typed by the response schemas (so a renamed field fails the
// typecheck, and the contract test checks the real bodies against the same schemas).

/** numeric arrives as a string from node-postgres; the embedded engine may hand a number. */
const decimal = (value: string | number | null): string | null => (value === null ? null : String(value));

export const defaultSymbolsJson = (rows: DefaultSymbol[]): DefaultSymbolsJson => ({
  symbols: rows.map((row) => ({
    id: row.id,
    ticker: row.ticker,
    display: row.display,
    currentPrice: decimal(row.current_price),
    priceChange24h: decimal(row.price_change_24h),
  })),
});

export const userSymbolsJson = (userId: string, dashboard: Dashboard): UserSymbolsJson => ({
  userId,
  source: dashboard.source,
  symbols: dashboard.symbols.map((s) => ({
    ...s,
    currentPrice: decimal(s.currentPrice),
    priceChange24h: decimal(s.priceChange24h),
  })),
});

export const preferenceJson = (p: UserSymbolPreference): UserSymbolPreferenceJson => ({
  ...p,
  createdAt: new Date(p.createdAt).toISOString(),
  updatedAt: new Date(p.updatedAt).toISOString(),
});

export const searchJson = (query: SearchJson["query"], hits: SymbolSearchHit[]): SearchJson => ({
  query,
  symbols: hits.map((hit) => ({
    id: hit.id,
    ticker: hit.ticker,
    display: hit.display,
    fullName: hit.full_name,
    assetClass: hit.asset_class,
    market: hit.market,
    currentPrice: decimal(hit.current_price),
    priceChange24h: decimal(hit.price_change_24h),
  })),
});
