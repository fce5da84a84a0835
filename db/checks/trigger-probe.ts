import { randomBytes } from "node:crypto";
import type { Transaction } from "kysely";
import type { Database, NewSymbol } from "../schema.js";

// A throwaway corner of the catalogue (asset class, market, its primary provider) created inside
// a transaction that the caller rolls back. The trigger probes write only here, so they never
// depend on, or touch, real symbols, and they work on an empty catalogue too.

export interface ProbeCatalogue {
  trx: Transaction<Database>;
  marketId: string;
  primaryProviderId: string;
  insertSymbol(fields?: Partial<NewSymbol>): Promise<{ id: string; data_provider_id: string | null }>;
}

export async function createProbeCatalogue(trx: Transaction<Database>): Promise<ProbeCatalogue> {
  const tag = `__check_probe_${randomBytes(4).toString("hex")}`;
  const assetClass = await trx
    .insertInto("asset_classes")
    .values({ code: tag, name: tag })
    .returning("id")
    .executeTakeFirstOrThrow();
  const market = await trx
    .insertInto("markets")
    .values({ code: tag, name: tag, asset_class_id: assetClass.id, timezone: "UTC" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const provider = await trx
    .insertInto("data_providers")
    .values({
      code: tag,
      name: tag,
      market_id: market.id,
      provider_type: "websocket",
      is_primary: true,
      connection_status: "connected",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  let count = 0;
  return {
    trx,
    marketId: market.id,
    primaryProviderId: provider.id,
    insertSymbol: (fields = {}) =>
      trx
        .insertInto("symbols")
        .values({
          ticker: `${tag}_${++count}`,
          display: tag,
          asset_class_id: assetClass.id,
          market_id: market.id,
          ...fields,
        })
        .returning(["id", "data_provider_id"])
        .executeTakeFirstOrThrow(),
  };
}
