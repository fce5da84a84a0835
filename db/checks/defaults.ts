import { sql } from "kysely";
import { ACTIVE_SYMBOLS_MORE_THAN, DEFAULT_SYMBOL_COUNT } from "../rules/defaults.js";
import { DEFAULT_TICKERS, DEPRECATED_TICKERS } from "../seed/catalogue.js";
import { DEFAULTS_MARKET } from "./catalogue-objects.js";
import { sqlCheck } from "./define.js";
import type { Check } from "./types.js";

// What anonymous users see: exactly the nine defaults, active, in the seed's order, and none of
// the retired symbols.

export const defaultsChecks: readonly Check[] = [
  sqlCheck({
    id: "defaults.count",
    title: `Exactly ${DEFAULT_SYMBOL_COUNT} default symbols`,
    category: "defaults",
    severity: "error",
    fixHint:
      `Mark or unmark symbols as default until exactly ${DEFAULT_SYMBOL_COUNT} remain (the seed's list: ` +
      `${DEFAULT_TICKERS.join(", ")}).`,
    query: sql`
      select count(*)::int as default_count, ${DEFAULT_SYMBOL_COUNT}::int as expected_count
      from symbols where is_default_symbol
      having count(*) <> ${DEFAULT_SYMBOL_COUNT}`,
  }),
  sqlCheck({
    id: "defaults.all-active",
    title: "Every default symbol is active",
    category: "defaults",
    severity: "error",
    fixHint:
      "Reactivate the symbol or remove it from the defaults; ck_symbols_default_is_active should have prevented this.",
    query: sql`
      select id as symbol_id, ticker, display_order
      from symbols where is_default_symbol and not is_active
      order by display_order, ticker`,
  }),
  sqlCheck({
    id: "defaults.seed-tickers-in-order",
    title: `The defaults are the seed's ${DEFAULT_SYMBOL_COUNT} ${DEFAULTS_MARKET} tickers, in display order`,
    category: "defaults",
    severity: "warn",
    fixHint:
      `Expected, in display order: ${DEFAULT_TICKERS.join(", ")} on ${DEFAULTS_MARKET}. A deliberate change ` +
      `of the defaults makes this a known difference; otherwise reorder or swap the defaults.`,
    // Position by position: a missing, extra, swapped or foreign-market default each shows as a row.
    query: sql`
      with expected as (
        select ticker, position::int as position
        from unnest(${[...DEFAULT_TICKERS]}::text[]) with ordinality as e(ticker, position)
      ), actual as (
        select s.id as symbol_id, s.ticker, m.code as market_code,
               row_number() over (order by s.display_order, s.ticker)::int as position
        from symbols s left join markets m on m.id = s.market_id
        where s.is_default_symbol
      )
      select coalesce(e.position, a.position) as position, e.ticker as expected_ticker,
             a.ticker as actual_ticker, a.market_code, a.symbol_id
      from expected e full join actual a on a.position = e.position
      where e.ticker is distinct from a.ticker or a.market_code is distinct from ${DEFAULTS_MARKET}
      order by 1`,
  }),
  sqlCheck({
    id: "defaults.deprecated-inactive",
    title: "Deprecated symbols are inactive",
    category: "defaults",
    severity: "error",
    fixHint:
      `Deactivate the retired symbols (${DEPRECATED_TICKERS.join(", ")}); they stay in the catalogue for ` +
      `history only.`,
    query: sql`
      select id as symbol_id, ticker, is_active
      from symbols where ticker = any(${[...DEPRECATED_TICKERS]}::text[]) and is_active
      order by ticker`,
  }),
  sqlCheck({
    id: "defaults.deprecated-not-default",
    title: "No deprecated symbol is a default",
    category: "defaults",
    severity: "error",
    fixHint: "Remove the retired symbol from the defaults and put one of the seed's defaults in its place.",
    query: sql`
      select id as symbol_id, ticker, is_active
      from symbols where ticker = any(${[...DEPRECATED_TICKERS]}::text[]) and is_default_symbol
      order by ticker`,
  }),
  sqlCheck({
    id: "defaults.active-count",
    title: `More than ${ACTIVE_SYMBOLS_MORE_THAN} active symbols`,
    category: "defaults",
    severity: "error",
    fixHint: "Activate more symbols (or load the default data): users must be able to add symbols beyond the defaults.",
    query: sql`
      select count(*)::int as active_count, ${ACTIVE_SYMBOLS_MORE_THAN + 1}::int as minimum
      from symbols where is_active
      having count(*) <= ${ACTIVE_SYMBOLS_MORE_THAN}`,
  }),
];
