import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { gateLines, gateReport } from "../gate/gate.js";
import { MIGRATIONS } from "../migrations/index.js";
import { migrateUp, rollbackThrough } from "../migrator.js";
import { forEachEngine } from "./engines.js";

// The gate before a migration step: the live schema is compared with the stored expectation of
// what the applied migrations make, on both engines, in the applied and in the rolled-back state;
// an index dropped by hand or made by hand shows, and makes the gate say something is off.

const DATA_DRIVEN = "20250108_data_driven_symbols";
const LAST = Object.keys(MIGRATIONS).at(-1)!;

forEachEngine("the gate before a migration step", ({ conn }) => {
  test("no drift after the migrations, nor once 20250108 is rolled back", async () => {
    const applied = await gateReport(conn.db, LAST, "down");
    assert.deepEqual(applied.drift, { missing: [], extra: [], invalid: [], unknown: [] });
    await rollbackThrough(conn.db, { actor: "test", migration: DATA_DRIVEN });
    try {
      const report = await gateReport(conn.db, DATA_DRIVEN, "up");
      assert.deepEqual(report.drift, { missing: [], extra: [], invalid: [], unknown: [] });
      assert.deepEqual(report.concerns, []);
      assert.ok(gateLines(report).some((l) => /^ {2}last rehearsal: none$/.test(l)));
      assert.ok(gateLines(report).some((l) => l.includes("each statement runs at most 10min")));
    } finally {
      await migrateUp(conn.db, { actor: "test" });
    }
  });

  test("an index dropped by hand, and one made by hand, show as drift", async () => {
    await sql`drop index ix_symbols_default_order`.execute(conn.db);
    await sql`create index ix_by_hand on symbols (full_name)`.execute(conn.db);
    try {
      const report = await gateReport(conn.db, LAST, "down");
      assert.deepEqual(
        report.drift.missing.map((l) => l.split(":")[0]),
        ["index ix_symbols_default_order"],
      );
      assert.deepEqual(
        report.drift.extra.map((l) => l.split(":")[0]),
        ["index ix_by_hand"],
      );
      assert.match(report.concerns.join(), /differs from what the applied migrations should have made/);
      const lines = gateLines(report).join("\n");
      assert.match(lines, /missing index ix_symbols_default_order: CREATE INDEX/);
      assert.match(lines, /extra index ix_by_hand/);
    } finally {
      await sql`drop index if exists ix_by_hand`.execute(conn.db);
      await sql`create index ix_symbols_default_order on symbols (display_order) include (id, ticker, display,
        current_price, price_change_24h) where is_default_symbol and is_active`.execute(conn.db);
    }
    assert.equal(
      (await gateReport(conn.db, LAST, "down")).drift.missing.length,
      0,
      "put back as the migration made it",
    );
  });
});
