import assert from "node:assert/strict";
import { before, test } from "node:test";
import { sql } from "kysely";
import { listProvidersOverview, symbolCountsQuery } from "../repositories/providers.js";
import { loadDemoData } from "../seed/demo-data.js";
import { forEachEngine } from "./engines.js";
import { planNodes } from "./fingerprint.js";

// /providers counts every provider's symbols and every market's: one index-only scan of the
// (market_id, data_provider_id) index of 20250118, never a read of the whole table.

forEachEngine("the providers overview", ({ conn }) => {
  before(async () => {
    await loadDemoData(conn.db, { symbols: 20_000, users: 50, preferences: 200, seed: "providers" });
    await sql`vacuum analyze symbols`.execute(conn.db);
  });

  test("each provider's and each market's count is the catalogue's", async () => {
    const { rows } = await sql<{ id: string; provider: number; market: number }>`
      select dp.id,
             (select count(*)::int from symbols s where s.data_provider_id = dp.id) as provider,
             (select count(*)::int from symbols s where s.market_id = dp.market_id) as market
      from data_providers dp`.execute(conn.db);
    const overview = await listProvidersOverview(conn.db);
    assert.equal(overview.length, rows.length);
    for (const expected of rows) {
      const shown = overview.find((p) => p.id === expected.id)!;
      assert.equal(shown.symbolCount, expected.provider, shown.code);
      assert.equal(shown.marketSymbolCount, expected.market, shown.code);
      assert.equal(shown.toReassign, expected.market - expected.provider, shown.code);
    }
    assert.ok(
      overview.some((p) => p.symbolCount > 1000),
      "a catalogue large enough to need the index",
    );
  });

  test("the counts walk ix_symbols_market_provider index-only, with no scan of symbols", async () => {
    const nodes = await planNodes(conn.db, symbolCountsQuery().compile(conn.db));
    const described = nodes.map((n) => `${n.type}${n.index ? ` ${n.index}` : ""}`).join(" > ");
    assert.ok(described.includes("Index Only Scan ix_symbols_market_provider"), described);
    assert.ok(!nodes.some((n) => n.type === "Seq Scan"), described);
  });
});
