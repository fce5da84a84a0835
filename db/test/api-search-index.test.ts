import assert from "node:assert/strict";
import { before, it } from "node:test";
import { sql } from "kysely";
import { searchSymbols, symbolSearchQuery } from "../queries/symbol-search.js";
import { loadDemoData } from "../seed/demo-data.js";
import { forEachEngine } from "./engines.js";
import { indexesUsedBy } from "./fingerprint.js";

// Proves with EXPLAIN that the indexes of 20250103 serve symbol search on a catalogue large
// enough (20k demo symbols) that the planner would otherwise scan all of it.

forEachEngine("symbol search and its indexes", ({ conn }) => {
  before(async () => {
    await loadDemoData(conn.db, { symbols: 20_000, users: 0, preferences: 0, seed: "search" });
    await sql`analyze symbols`.execute(conn.db);
  });

  it("a name or ticker fragment reads both trigram indexes", async () => {
    const used = await indexesUsedBy(conn.db, symbolSearchQuery(conn.db, { q: "asset 1234", limit: 20 }).compile());
    assert.ok(used.includes("ix_symbols_search_ticker_trgm"), used.join(","));
    assert.ok(used.includes("ix_symbols_search_display_trgm"), used.join(","));
  });

  it("a one- or two-character query reads a ticker prefix index", async () => {
    const used = await indexesUsedBy(conn.db, symbolSearchQuery(conn.db, { q: "bt", limit: 20 }).compile());
    // Ours (partial on is_active), or the console's identical full one of 20250109 when present:
    // both are lower(ticker) text_pattern_ops, and the planner may pick either.
    assert.ok(
      used.some((name) => /^ix_symbols_(search|console)_ticker_prefix$/.test(name)),
      used.join(","),
    );
  });

  it("filters by market and asset class still go through the search indexes", async () => {
    const query = symbolSearchQuery(conn.db, { q: "asset 1234", market: "BINANCE", assetClass: "CRYPTO", limit: 5 });
    const used = await indexesUsedBy(conn.db, query.compile());
    assert.ok(
      used.some((name) => name.startsWith("ix_symbols_search_")),
      used.join(","),
    );
  });

  it("finds by ticker and by name, exact ticker first, active symbols only", async () => {
    const btc = await searchSymbols(conn.db, { q: "btcusdt", limit: 10 });
    assert.equal(btc[0]?.ticker, "BTCUSDT");
    const byName = await searchSymbols(conn.db, { q: "bitcoin", limit: 10 });
    assert.ok(
      byName.some((hit) => hit.ticker === "BTCUSDT"),
      "BTC is found by its name",
    );
    const deprecated = await searchSymbols(conn.db, { q: "ADA", limit: 50 });
    assert.ok(!deprecated.some((hit) => hit.ticker === "ADAUSDT"), "a deprecated symbol is never found");
  });

  it("respects the market filter and the limit, and treats % and _ literally", async () => {
    const bist = await searchSymbols(conn.db, { q: "asset", market: "BIST", limit: 50 });
    assert.equal(bist.length, 50);
    assert.ok(bist.every((hit) => hit.market === "BIST"));
    assert.deepEqual(await searchSymbols(conn.db, { q: "%%%", limit: 10 }), []);
    assert.deepEqual(await searchSymbols(conn.db, { q: "_", limit: 10 }), []);
  });
});
