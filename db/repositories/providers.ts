import { sql } from "kysely";
import type { Db } from "./transaction.js";

// Data providers as the /providers page shows them: connection status, the market each serves,
// and how many symbols each provider and each market carries.

export async function listProvidersOverview(db: Db) {
  const [providers, perProvider, perMarket] = await Promise.all([
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
    // ix_symbols_data_provider_id / ix_symbols_console_market_ticker: index-only counts.
    sql<{ data_provider_id: string | null; n: string | number }>`
      select data_provider_id, count(*) as n from symbols group by data_provider_id`.execute(db),
    sql<{
      market_id: string;
      n: string | number;
    }>`select market_id, count(*) as n from symbols group by market_id`.execute(db),
  ]);
  const symbolsByProvider = new Map(perProvider.rows.map((r) => [r.data_provider_id, Number(r.n)]));
  const symbolsByMarket = new Map(perMarket.rows.map((r) => [r.market_id, Number(r.n)]));
  return providers.map((p) => ({
    ...p,
    symbolCount: symbolsByProvider.get(p.id) ?? 0,
    marketSymbolCount: symbolsByMarket.get(p.market_id) ?? 0,
    /** Symbols of the market that another provider (or none) serves: what "assign to all" changes. */
    toReassign: (symbolsByMarket.get(p.market_id) ?? 0) - (symbolsByProvider.get(p.id) ?? 0),
  }));
}

export type ProviderOverview = Awaited<ReturnType<typeof listProvidersOverview>>[number];

/** Every provider's code by id, to name the provider ids the audit log records. */
export async function providerCodes(db: Db): Promise<Record<string, string>> {
  const rows = await db.selectFrom("data_providers").select(["id", "code"]).execute();
  return Object.fromEntries(rows.map((p) => [p.id, p.code]));
}
