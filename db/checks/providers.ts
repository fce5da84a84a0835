import { sql } from "kysely";
import { sqlCheck } from "./define.js";
import type { Check } from "./types.js";

// Every symbol is fed by a provider of its own market; the broadcast service reads
// symbols.data_provider_id to know where prices come from.

export const providersChecks: readonly Check[] = [
  sqlCheck({
    id: "providers.symbols-without-provider",
    title: "Every symbol is linked to an existing data provider",
    category: "providers",
    severity: "error",
    fixHint: "Assign the market's primary provider to the symbol (the insert trigger does this for new symbols).",
    query: sql`
      select s.id as symbol_id, s.ticker, s.data_provider_id,
             case when s.data_provider_id is null then 'no provider assigned'
                  else 'assigned provider does not exist' end as problem
      from symbols s
      where s.data_provider_id is null
         or not exists (select 1 from data_providers dp where dp.id = s.data_provider_id)
      order by s.ticker`,
  }),
  sqlCheck({
    id: "providers.market-mismatch",
    title: "Each symbol's provider serves the symbol's market",
    category: "providers",
    severity: "error",
    fixHint: "Assign a provider of the symbol's own market; a provider of another market cannot quote it.",
    query: sql`
      select s.id as symbol_id, s.ticker, sm.code as symbol_market,
             dp.code as provider_code, pm.code as provider_market
      from symbols s
      join data_providers dp on dp.id = s.data_provider_id
      left join markets sm on sm.id = s.market_id
      left join markets pm on pm.id = dp.market_id
      where dp.market_id is distinct from s.market_id
      order by s.ticker`,
  }),
  sqlCheck({
    id: "providers.unavailable-provider",
    title: "No active symbol relies on an inactive or disconnected provider",
    category: "providers",
    severity: "warn",
    fixHint: "Reconnect or reactivate the provider, or move the symbols to another provider of the same market.",
    // A warning: a feed can drop for minutes; the symbols are fine once it reconnects.
    query: sql`
      select s.id as symbol_id, s.ticker, dp.code as provider_code,
             dp.is_active as provider_active, dp.connection_status
      from symbols s
      join data_providers dp on dp.id = s.data_provider_id
      where s.is_active and (not dp.is_active or dp.connection_status = 'disconnected')
      order by dp.code, s.ticker`,
  }),
];
