import assert from "node:assert/strict";
import { it } from "node:test";
import { sql } from "kysely";
import { listDefaultSymbols } from "../queries/default-symbols.js";
import { DEFAULT_TICKERS, DEPRECATED_TICKERS } from "../seed/catalogue.js";
import { loadDefaultData } from "../seed/default-data.js";
import { loadDemoData } from "../seed/demo-data.js";
import { forEachEngine } from "./engines.js";
import { tableChecksum } from "./fingerprint.js";

const TABLES = ["asset_classes", "markets", "data_providers", "symbols"];

forEachEngine("default data", ({ conn }) => {
  it("lists the nine defaults in the seed's order", async () => {
    const defaults = await listDefaultSymbols(conn.db);
    assert.deepEqual(
      defaults.map((d) => d.ticker),
      [...DEFAULT_TICKERS],
    );
  });

  it("keeps the deprecated five inactive and out of the defaults", async () => {
    const rows = await conn.db
      .selectFrom("symbols")
      .select(["ticker", "is_active", "is_default_symbol"])
      .where("ticker", "in", [...DEPRECATED_TICKERS])
      .orderBy("ticker")
      .execute();
    assert.equal(rows.length, DEPRECATED_TICKERS.length);
    for (const row of rows) assert.deepEqual([row.is_active, row.is_default_symbol], [false, false], row.ticker);
  });

  it("links every symbol to its market's primary provider and keeps more than nine active", async () => {
    const { rows } = await sql<{ unlinked: number; active: number }>`
      select count(*) filter (where data_provider_id is null)::int as unlinked,
             count(*) filter (where is_active)::int as active from symbols`.execute(conn.db);
    assert.equal(rows[0]!.unlinked, 0);
    assert.ok(rows[0]!.active > 9);
  });

  it("changes nothing when loaded a second time", async () => {
    const before = await Promise.all(TABLES.map((t) => tableChecksum(conn.db, t)));
    await loadDefaultData(conn.db);
    assert.deepEqual(await Promise.all(TABLES.map((t) => tableChecksum(conn.db, t))), before);
  });

  it("does not undo a staff change to a default when loaded again", async () => {
    await sql`update symbols set is_default_symbol = false, version = version + 1 where ticker = 'BNBUSDT'`.execute(
      conn.db,
    );
    await loadDefaultData(conn.db);
    const defaults = await listDefaultSymbols(conn.db);
    assert.ok(!defaults.some((d) => d.ticker === "BNBUSDT"));
  });
});

forEachEngine("demo data", ({ conn }) => {
  it("loads the requested numbers of symbols, users and preferences", async () => {
    await loadDemoData(conn.db, { symbols: 3000, users: 150, preferences: 2400, seed: "count" });
    const { rows } = await sql<{ symbols: number; users: number; prefs: number }>`
      select (select count(*) from symbols where display like 'Demo asset %')::int as symbols,
             (select count(*) from users)::int as users,
             (select count(*) from user_dashboard_preferences)::int as prefs`.execute(conn.db);
    assert.deepEqual(rows[0], { symbols: 3000, users: 150, prefs: 2400 });
  });

  it("is deterministic: the same seed gives the same rows, and loading twice adds nothing", async () => {
    const before = await Promise.all(
      ["symbols", "users", "user_dashboard_preferences"].map((t) => tableChecksum(conn.db, t)),
    );
    await loadDemoData(conn.db, { symbols: 3000, users: 150, preferences: 2400, seed: "count" });
    const after = await Promise.all(
      ["symbols", "users", "user_dashboard_preferences"].map((t) => tableChecksum(conn.db, t)),
    );
    assert.deepEqual(after, before);
  });

  it("keeps every demo symbol within the rules: priority 0-100, never default", async () => {
    const { rows } = await sql<{ bad: number }>`
      select count(*)::int as bad from symbols where display like 'Demo asset %'
        and (broadcast_priority not between 0 and 100 or is_default_symbol)`.execute(conn.db);
    assert.equal(rows[0]!.bad, 0);
  });
});
