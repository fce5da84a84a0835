import { sql } from "kysely";
import { sqlCheck } from "./define.js";
import type { Check } from "./types.js";

// Rules a constraint should already enforce. They are checked anyway because a constraint can be
// dropped, added NOT VALID and never validated, or bypassed by a bulk load.

export const integrityChecks: readonly Check[] = [
  sqlCheck({
    id: "integrity.priority-range",
    title: "Broadcast priority within 0–100",
    category: "integrity",
    severity: "error",
    fixHint: "Set broadcast_priority between 0 and 100, then restore ck_symbols_broadcast_priority_range.",
    query: sql`
      select id as symbol_id, ticker, broadcast_priority
      from symbols where broadcast_priority is null or broadcast_priority not between 0 and 100
      order by ticker`,
  }),
  sqlCheck({
    id: "integrity.symbols-without-market",
    title: "Every symbol belongs to an existing market",
    category: "integrity",
    severity: "error",
    fixHint: "Assign the symbol to an existing market (or restore the market row it points to).",
    // NOT EXISTS rather than a join, so rows still show when the foreign key has been dropped.
    query: sql`
      select s.id as symbol_id, s.ticker, s.market_id
      from symbols s
      where s.market_id is null or not exists (select 1 from markets m where m.id = s.market_id)
      order by s.ticker`,
  }),
  sqlCheck({
    id: "integrity.duplicate-ticker-per-market",
    title: "No ticker appears twice within a market",
    category: "integrity",
    severity: "error",
    fixHint: "Merge or retire the duplicates: keep one symbol per ticker and market, move preferences to it.",
    // Compared trimmed and case-blind: uq_symbols_market_ticker only catches exact repeats, while
    // 'btcusdt' next to 'BTCUSDT' would still show the same instrument twice.
    query: sql`
      select s.id as symbol_id, s.ticker, s.market_id, m.code as market_code, d.copies
      from (
        select market_id, upper(btrim(ticker)) as normalized, count(*)::int as copies
        from symbols group by market_id, upper(btrim(ticker)) having count(*) > 1
      ) d
      join symbols s on s.market_id = d.market_id and upper(btrim(s.ticker)) = d.normalized
      left join markets m on m.id = s.market_id
      order by m.code, d.normalized, s.ticker`,
  }),
];
