import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";
import {
  ASSET_CLASSES,
  CRYPTO_NAMES,
  DATA_PROVIDERS,
  DEFAULT_TICKERS,
  DEPRECATED_TICKERS,
  EXTRA_ACTIVE,
  MARKETS,
} from "./catalogue.js";

/**
 * Loads the default data of 2025-01-08: asset classes, markets, providers, the nine defaults in
 * order, the deprecated five, and a few more active symbols. Idempotent: existing rows keep their
 * ids, a second run changes nothing. Runs in one transaction.
 */
export async function loadDefaultData(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const a of ASSET_CLASSES) {
      await trx
        .insertInto("asset_classes")
        .values({ code: a.code, name: a.name })
        .onConflict((oc) => oc.column("code").doNothing())
        .execute();
    }
    const classes = new Map(
      (await trx.selectFrom("asset_classes").select(["id", "code"]).execute()).map((r) => [r.code, r.id]),
    );

    for (const m of MARKETS) {
      await trx
        .insertInto("markets")
        .values({
          code: m.code,
          name: m.name,
          asset_class_id: classes.get(m.assetClass)!,
          websocket_url: m.websocketUrl,
          timezone: m.timezone,
        })
        .onConflict((oc) => oc.column("code").doNothing())
        .execute();
    }
    const markets = new Map(
      (await trx.selectFrom("markets").select(["id", "code", "asset_class_id"]).execute()).map((r) => [r.code, r]),
    );

    for (const p of DATA_PROVIDERS) {
      await trx
        .insertInto("data_providers")
        .values({
          code: p.code,
          name: p.name,
          market_id: markets.get(p.market)!.id,
          provider_type: p.type,
          is_primary: p.primary,
          connection_status: p.status,
        })
        .onConflict((oc) => oc.column("code").doNothing())
        .execute();
    }

    const upsertSymbol = async (
      marketCode: string,
      ticker: string,
      display: string,
      fields: {
        display_order: number;
        is_default_symbol: boolean;
        is_active: boolean;
        broadcast_priority: number;
      },
    ) => {
      const market = markets.get(marketCode)!;
      const existing = await trx
        .selectFrom("symbols")
        .select("id")
        .where("market_id", "=", market.id)
        .where("ticker", "=", ticker)
        .executeTakeFirst();
      if (existing) return existing.id;
      const row = await trx
        .insertInto("symbols")
        .values({
          ticker,
          display,
          full_name: display,
          asset_class_id: market.asset_class_id,
          market_id: market.id,
          ...fields,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    };

    // Defaults: active, in the given order, with priorities that broadcast them first.
    for (const [i, ticker] of DEFAULT_TICKERS.entries()) {
      const id = await upsertSymbol("BINANCE", ticker, CRYPTO_NAMES[ticker] ?? ticker, {
        display_order: i + 1,
        is_default_symbol: true,
        is_active: true,
        broadcast_priority: 100 - i,
      });
      // An existing row that is not yet default becomes one, unless staff changed it since.
      await trx
        .updateTable("symbols")
        .set({ is_active: true, is_default_symbol: true })
        .where("id", "=", id)
        .where("is_default_symbol", "=", false)
        .where("version", "=", 1)
        .execute();
    }
    for (const ticker of DEPRECATED_TICKERS) {
      const id = await upsertSymbol("BINANCE", ticker, CRYPTO_NAMES[ticker] ?? ticker, {
        display_order: 0,
        is_default_symbol: false,
        is_active: false,
        broadcast_priority: 0,
      });
      await trx
        .updateTable("symbols")
        .set({ is_active: false, is_default_symbol: false })
        .where("id", "=", id)
        .where("is_active", "=", true)
        .where("version", "=", 1)
        .execute();
    }
    for (const [i, s] of EXTRA_ACTIVE.entries()) {
      const name = "name" in s ? s.name : (CRYPTO_NAMES[s.ticker] ?? s.ticker);
      await upsertSymbol(s.market, s.ticker, name, {
        display_order: 100 + i,
        is_default_symbol: false,
        is_active: true,
        broadcast_priority: 60,
      });
    }
  });
}

/** True when the catalogue holds no symbols yet (a fresh install). */
export async function catalogueIsEmpty(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ empty: boolean }>`select not exists (select 1 from symbols) as empty`.execute(db);
  return rows[0]?.empty ?? true;
}
