import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

// Critical query 3 of the seed (target < 3 ms): what the WebSocket service broadcasts next.
// Highest priority first; among equals, the one broadcast longest ago (never broadcast first).
// Served by ix_symbols_broadcast_queue (or ix_symbols_market_broadcast_queue for one market):
// an ordered index scan that stops after `limit` rows.

export const BROADCAST_LIMIT = 100;

export function broadcastListQuery(db: Kysely<Database>, options: { limit?: number; marketId?: string } = {}) {
  let query = db
    .selectFrom("symbols as s")
    .innerJoin("markets as m", "m.id", "s.market_id")
    .leftJoin("data_providers as dp", "dp.id", "s.data_provider_id")
    .select([
      "s.id",
      "s.ticker",
      "s.display",
      "s.broadcast_priority",
      "s.last_broadcast_at",
      "s.current_price",
      "s.market_id",
      "m.code as market_code",
      "m.websocket_url",
      "dp.id as provider_id",
      "dp.code as provider_code",
      "dp.connection_status",
    ])
    .where("s.is_active", "=", true)
    .where("s.is_tracked", "=", true);
  if (options.marketId) query = query.where("s.market_id", "=", options.marketId);
  return query
    .orderBy("s.broadcast_priority", "desc")
    .orderBy(
      ({ ref }) => ref("s.last_broadcast_at"),
      (ob) => ob.asc().nullsFirst(),
    )
    .limit(options.limit ?? BROADCAST_LIMIT);
}

export type BroadcastEntry = Awaited<ReturnType<ReturnType<typeof broadcastListQuery>["execute"]>>[number];

export const listBroadcastQueue = (db: Kysely<Database>, options?: { limit?: number; marketId?: string }) =>
  broadcastListQuery(db, options).execute();
