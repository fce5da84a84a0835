import assert from "node:assert/strict";
import { it } from "node:test";
import { sql } from "kysely";
import { migrationStatus } from "../migrator.js";
import { rehearseMigration, symbolsChecksum } from "../rehearsal/rehearse.js";
import { recentRehearsals, storeRehearsal } from "../rehearsal/store.js";
import { gateLines, gateReport } from "../gate/gate.js";
import { forEachEngine } from "./engines.js";

// A rehearsal runs on a scratch copy: up → validate → down → validate → up, timed, and the symbol
// rows come back with an equal checksum. The live database is left exactly as it was.

const DATA_DRIVEN = "20250108_data_driven_symbols";

forEachEngine("migration rehearsal on a scratch copy", (ctx) => {
  it("rehearses 20250108 losslessly and leaves the live database untouched", async () => {
    const { db } = ctx.conn;
    // A value staff set after the migration: the rehearsal's rollback must bring it back.
    await sql`update symbols set broadcast_priority = 7, last_broadcast_at = '2025-03-01T12:00:00Z' where ticker =
      'BTCUSDT'`.execute(db);
    const liveBefore = await symbolsChecksum(db);
    const statusBefore = await migrationStatus(db);

    const result = await rehearseMigration(ctx.conn, {
      migration: DATA_DRIVEN,
      source: ctx.engine === "postgres" ? { databaseUrl: ctx.conn.url } : { dataDir: ":memory:" },
    });

    assert.equal(result.passed, true, JSON.stringify(result.steps, null, 2));
    assert.equal(result.checksumEqual, true);
    assert.deepEqual(
      result.steps.map((s) => s.name),
      ["prepare", "up", "validate after up", "down", "validate after down", "re-apply", "validate after re-apply"],
    );
    for (const figure of [result.upMs, result.downMs, result.reapplyMs])
      assert.ok(typeof figure === "number" && figure >= 0);
    assert.match(result.steps[4]!.detail, /^schema is back to what it was before 20250108_data_driven_symbols/);
    assert.match(result.steps[6]!.detail, /symbols checksum equal/);
    assert.equal(result.engineLabel, ctx.conn.engineLabel);
    // The pool of the test keeps other sessions open, so TEMPLATE is refused on the server and the
    // fallback copy is used; either way the method says how.
    assert.match(
      result.methodNote,
      ctx.engine === "postgres" ? /TEMPLATE/ : /in-memory embedded database, copied \d+ asset_classes/,
    );
    console.log(
      `[rehearsal ${ctx.engine}] up ${result.upMs} ms, down ${result.downMs} ms, re-apply ${result.reapplyMs} ms; ` +
        `${result.methodNote}`,
    );

    assert.equal(await symbolsChecksum(db), liveBefore, "the live symbols are unchanged");
    assert.deepEqual(
      (await migrationStatus(db)).map((s) => [s.name, s.state]),
      statusBefore.map((s) => [s.name, s.state]),
      "the live migration state is unchanged",
    );
  });

  it("stores the rehearsal so the panels can show its timings", async () => {
    const result = await rehearseMigration(ctx.conn, {
      source: ctx.engine === "postgres" ? { databaseUrl: ctx.conn.url } : { dataDir: ":memory:" },
    });
    // With nothing named, the rehearsal targets what "roll back one step" would undo.
    const latest = (await migrationStatus(ctx.conn.db)).filter((s) => s.state === "applied").at(-1)!.name;
    assert.equal(result.migration, latest);
    assert.equal(result.passed, true, JSON.stringify(result.steps, null, 2));
    await storeRehearsal(ctx.conn.db, result, "test");
    const [stored] = await recentRehearsals(ctx.conn.db, 1);
    assert.equal(stored?.migration, latest);
    assert.equal(stored?.checksumEqual, true);
    assert.equal(stored?.steps.length, 7);
    assert.equal(stored?.actor, "test");
    // Where the rollback's time went, kept with the rehearsal and shown by the gate before a rollback.
    const downParts = stored?.steps.find((s) => s.name === "down")?.parts ?? [];
    const [first] = downParts;
    assert.ok(first && first.statements > 0, JSON.stringify(downParts));
    const gate = gateLines(await gateReport(ctx.conn.db, latest, "down")).join("\n");
    assert.ok(
      gate.split("\n").some((l) => l.startsWith("    down by part: ") && l.includes(`${first.part} `)),
      gate,
    );
  });

  it("refuses a migration that does not exist", async () => {
    await assert.rejects(rehearseMigration(ctx.conn, { migration: "20990101_nope", source: {} }), /Unknown migration/);
  });
});
