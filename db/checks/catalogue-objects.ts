import { INDEXES } from "../migrations/20250108_data_driven_symbols.js";

// What the checks expect to find: the tables of the symbol catalogue and the objects migration
// 20250108 creates. The index list comes from the migration itself so the two cannot drift; the
// constraint, trigger and view names are not exported by the migration and are repeated here.

export const MIGRATION_20250108 = "20250108_data_driven_symbols";

export const CATALOGUE_TABLES = [
  "asset_classes",
  "markets",
  "data_providers",
  "symbols",
  "users",
  "user_dashboard_preferences",
] as const;

/** The market the nine default tickers trade on (the seed's BINANCE). */
export const DEFAULTS_MARKET = "BINANCE";

export interface ExpectedIndex {
  name: string;
  table: string;
}

function tableOf(definition: string): string {
  const table = /^\s*(\w+)\s*\(/.exec(definition)?.[1];
  if (!table) throw new Error(`cannot read the table of index definition: ${definition}`);
  return table;
}

export const EXPECTED_INDEXES: readonly ExpectedIndex[] = INDEXES.map((index) => ({
  name: index.name,
  table: tableOf(index.definition),
}));

export const EXPECTED_CONSTRAINTS = [
  { name: "ck_symbols_broadcast_priority_range", table: "symbols", rule: "broadcast_priority between 0 and 100" },
  { name: "ck_symbols_default_is_active", table: "symbols", rule: "a default symbol is active" },
  { name: "fk_symbols_data_provider", table: "symbols", rule: "data_provider_id references data_providers" },
] as const;

export const TRIGGERS = {
  touchUpdatedAt: "trg_symbols_touch_updated_at",
  clearDefaultWhenDeactivated: "trg_symbols_clear_default_when_deactivated",
  linkMarketProvider: "trg_symbols_link_market_provider",
} as const;

export const QUALITY_VIEW = "v_symbol_data_quality";
