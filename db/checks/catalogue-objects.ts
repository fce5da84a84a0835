// What the checks expect to find: the tables of the symbol catalogue and the objects migration
// 20250108 creates, as the schema has them now. The migrations keep their own frozen copies (a
// migration never imports the live schema); when a later migration redefines one of these
// objects, as 20250111 did ix_udp_user_visible_order, this list follows it.

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
  /** The columns and predicate, as the latest migration that touched the index built it. */
  definition: string;
}

/** The seed's six indexes (20250108), with ix_udp_user_visible_order as 20250111 rebuilt it. */
export const EXPECTED_INDEXES: readonly ExpectedIndex[] = [
  {
    name: "ix_symbols_default_order",
    table: "symbols",
    definition:
      "(display_order) include (id, ticker, display, current_price, price_change_24h) " +
      "where is_default_symbol and is_active",
  },
  {
    name: "ix_symbols_broadcast_queue",
    table: "symbols",
    // As 20250115 left it: no stamped column, so the broadcaster's stamp stays a HOT update.
    definition: "(broadcast_priority desc) where is_active and is_tracked",
  },
  {
    name: "ix_symbols_market_broadcast_queue",
    table: "symbols",
    definition: "(market_id, broadcast_priority desc) where is_active and is_tracked",
  },
  { name: "ix_symbols_data_provider_id", table: "symbols", definition: "(data_provider_id)" },
  {
    name: "ix_udp_user_visible_order",
    table: "user_dashboard_preferences",
    definition: "(user_id, is_pinned desc, display_order) include (symbol_id, id, is_visible) where is_visible",
  },
  { name: "ix_udp_symbol_id", table: "user_dashboard_preferences", definition: "(symbol_id)" },
];

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
