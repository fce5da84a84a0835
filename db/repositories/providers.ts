import { sql } from "kysely";
import type { Db } from "./transaction.js";

// Data providers as the /providers page shows them: connection status, the market each serves,
// and how many symbols each provider and each market carries.

/**
 * Symbols per market and provider pair: both the providers' and the markets' counts, from one
 * index-only scan of ix_symbols_market_provider (20250118). Exported so a test can EXPLAIN it.
 */
export const symbolCountsQuery = () => sql<{ market_id: string; data_provider_id: string | null; n: string | number }>`
  select market_id, data_provider_id, count(*) as n from symbols group by market_id, data_provider_id`;

export async function listProvidersOverview(db: Db) {
  const [providers, counts] = await Promise.all([
    db
      .selectFrom("data_providers as dp")
      .innerJoin("markets as m", "m.id", "dp.market_id")
      .select([
        "dp.id",
        "dp.code",
        "dp.name",
        "dp.provider_type",
        "dp.connection_status",
        "dp.is_primary",
        "dp.is_active",
        "dp.market_id",
        "m.code as market_code",
        "m.name as market_name",
        "m.websocket_url",
      ])
      .orderBy("m.code")
      .orderBy("dp.code")
      .execute(),
    symbolCountsQuery().execute(db),
  ]);
  const symbolsByProvider = new Map<string | null, number>();
  const symbolsByMarket = new Map<string, number>();
  for (const row of counts.rows) {
    const n = Number(row.n);
    symbolsByProvider.set(row.data_provider_id, (symbolsByProvider.get(row.data_provider_id) ?? 0) + n);
    symbolsByMarket.set(row.market_id, (symbolsByMarket.get(row.market_id) ?? 0) + n);
  }
  return providers.map((p) => ({
    ...p,
    symbolCount: symbolsByProvider.get(p.id) ?? 0,
    marketSymbolCount: symbolsByMarket.get(p.market_id) ?? 0,
    /** Symbols of the market that another provider (or none) serves: what "assign to all" changes. */
    toReassign: (symbolsByMarket.get(p.market_id) ?? 0) - (symbolsByProvider.get(p.id) ?? 0),
  }));
}

export type ProviderOverview = Awaited<ReturnType<typeof listProvidersOverview>>[number];

/** Each provider's connection state and market, without the symbol counts (which read every symbol). */
export function listProviderStates(db: Db) {
  return db
    .selectFrom("data_providers as dp")
    .innerJoin("markets as m", "m.id", "dp.market_id")
    .select(["dp.id", "dp.code", "m.code as market", "dp.connection_status as status"])
    .orderBy("m.code")
    .orderBy("dp.code")
    .execute();
}

/** Every provider's code by id, to name the provider ids the audit log records. */
export async function providerCodes(db: Db): Promise<Record<string, string>> {
  const rows = await db.selectFrom("data_providers").select(["id", "code"]).execute();
  return Object.fromEntries(rows.map((p) => [p.id, p.code]));
}
