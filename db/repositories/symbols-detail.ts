import { listDefaultSymbols } from "../queries/default-symbols.js";
import type { Db } from "./transaction.js";

// Everything about one symbol for /symbols/:id, and how many users hold it in their dashboard
// preferences (counted on ix_udp_symbol_id).

export async function getSymbolDetail(db: Db, symbolId: string) {
  const symbol = await db
    .selectFrom("symbols as s")
    .innerJoin("markets as m", "m.id", "s.market_id")
    .innerJoin("asset_classes as ac", "ac.id", "s.asset_class_id")
    .leftJoin("data_providers as dp", "dp.id", "s.data_provider_id")
    .selectAll("s")
    .select([
      "m.code as market_code",
      "m.name as market_name",
      "m.websocket_url",
      "ac.code as asset_class_code",
      "ac.name as asset_class_name",
      "dp.code as provider_code",
      "dp.name as provider_name",
      "dp.connection_status as provider_status",
    ])
    .where("s.id", "=", symbolId)
    .executeTakeFirst();
  if (!symbol) return null;
  const holders = await db
    .selectFrom("user_dashboard_preferences")
    .select((eb) => [
      eb.fn.countAll<string>().as("n"),
      eb.fn.countAll<string>().filterWhere("is_visible", "=", true).as("visible"),
    ])
    .where("symbol_id", "=", symbolId)
    .executeTakeFirstOrThrow();
  // Its place in the list anonymous users (and /symbols/defaults) see, not its display_order:
  // the numbers need not run 1..n.
  const defaultPosition = symbol.is_default_symbol
    ? (await listDefaultSymbols(db)).findIndex((d) => d.id === symbolId) + 1 || null
    : null;
  return { ...symbol, holders: Number(holders.n), visibleHolders: Number(holders.visible), defaultPosition };
}

export type SymbolDetail = NonNullable<Awaited<ReturnType<typeof getSymbolDetail>>>;

export function listProvidersOfMarket(db: Db, marketId: string) {
  return db
    .selectFrom("data_providers")
    .select(["id", "code", "name", "connection_status", "is_active", "is_primary"])
    .where("market_id", "=", marketId)
    .orderBy("code")
    .execute();
}
