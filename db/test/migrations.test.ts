import assert from "node:assert/strict";
import { it } from "node:test";
import { sql } from "kysely";
import { MIGRATIONS } from "../migrations/index.js";
import {
  migrateDown,
  migrateUp,
  migrationNames,
  migrationStatus,
  repairInterrupted,
  rollbackThrough,
} from "../migrator.js";
import { loadDemoData } from "../seed/demo-data.js";
import { forEachEngine } from "./engines.js";
import { columnNames, tableChecksum, tableExists } from "./fingerprint.js";

const DATA_DRIVEN = "20250108_data_driven_symbols";
const NEW_COLUMNS = ["broadcast_priority", "data_provider_id", "is_default_symbol", "last_broadcast_at"];

forEachEngine("20250108 rollback and re-apply", ({ conn }) => {
  it("brings back every changed priority, default, provider and broadcast time (row checksum equal)", async () => {
    const { db } = conn;
    await loadDemoData(db, { symbols: 400, users: 20, preferences: 200, seed: "roundtrip" });
    // Staff edits made after the migration: these are the values a rollback must not lose.
    await sql`update symbols set broadcast_priority = 7 where ticker = 'BTCUSDT'`.execute(db);
    await sql`update symbols set is_default_symbol = true where ticker = 'DOGEUSDT'`.execute(db);
    await sql`update symbols set data_provider_id = null where ticker = 'AAPL'`.execute(db);
    await sql`update symbols set data_provider_id = (select id from data_providers where code = 'BINANCE_REST')
              where ticker = 'ETHUSDT'`.execute(db);
    await sql`update symbols set last_broadcast_at = timestamptz '2025-03-01 12:00:00+00' where ticker =
      'SOLUSDT'`.execute(db);
    const before = await tableChecksum(db, "symbols");

    const steps = await rollbackThrough(db, { actor: "test", migration: DATA_DRIVEN });
    assert.equal(steps.at(-1)?.migration, DATA_DRIVEN);
    assert.equal((await migrationStatus(db)).find((s) => s.name === DATA_DRIVEN)?.state, "pending");
    const remaining = await columnNames(db, "symbols");
    for (const column of NEW_COLUMNS) assert.ok(!remaining.includes(column), `${column} is gone after down`);
    assert.ok(await tableExists(db, "symbols_20250108_backup"), "the values were saved before the columns went");
    assert.ok(!(await tableExists(db, "v_symbol_data_quality")), "the view is gone too");

    await migrateUp(db, { actor: "test" });
    assert.equal(await tableChecksum(db, "symbols"), before);
    assert.ok(!(await tableExists(db, "symbols_20250108_backup")), "the backup is dropped once restored");
  });

  it("a second cycle is as lossless as the first", async () => {
    const before = await tableChecksum(conn.db, "symbols");
    await rollbackThrough(conn.db, { actor: "test", migration: DATA_DRIVEN });
    await migrateUp(conn.db, { actor: "test" });
    assert.equal(await tableChecksum(conn.db, "symbols"), before);
  });

  it("vacuums symbols after the re-apply, so index-only scans of it need not read the table", async () => {
    await rollbackThrough(conn.db, { actor: "test", migration: DATA_DRIVEN });
    const steps = await migrateUp(conn.db, { actor: "test", target: DATA_DRIVEN });
    assert.ok(steps.at(-1)?.parts.some((p) => p.part === "vacuum of symbols"));
    const { rows } = await sql<{ pages: number; visible: number }>`
      select relpages as pages, relallvisible as visible from pg_class where oid = 'symbols'::regclass`.execute(
      conn.db,
    );
    assert.ok(rows[0]!.pages > 0);
    assert.equal(rows[0]!.visible, rows[0]!.pages, "every page of symbols is marked all-visible");
    await migrateUp(conn.db, { actor: "test" });
  });

  it("records every run with its migration, direction, actor, duration and outcome", async () => {
    const runs = await conn.db
      .selectFrom("migration_runs")
      .selectAll()
      .where("migration", "=", DATA_DRIVEN)
      .orderBy("started_at")
      .execute();
    assert.deepEqual(
      runs.map((r) => r.direction),
      ["up", "down", "up", "down", "up", "down", "up"],
    );
    for (const run of runs) {
      assert.equal(run.outcome, "succeeded");
      assert.equal(run.actor, "test");
      assert.ok(run.duration_ms !== null && run.duration_ms >= 0);
      assert.ok(run.finished_at instanceof Date);
    }
  });
});

forEachEngine("a migration killed midway", ({ conn }) => {
  it("an interrupted up is shown by status and finished by repair, with values intact", async () => {
    const { db } = conn;
    await rollbackThrough(db, { actor: "test", migration: DATA_DRIVEN });
    const before = await tableChecksum(db, "symbols");
    // What a run killed during the index builds leaves: the columns added, one INVALID index
    // (a failed CONCURRENTLY build), and a run that never finished.
    await sql`alter table symbols add column if not exists broadcast_priority integer not null default 50`.execute(db);
    await assert.rejects(
      sql`create unique index concurrently ix_symbols_default_order on symbols (display_order)`.execute(db),
    );
    await db
      .insertInto("migration_runs")
      .values({ migration: DATA_DRIVEN, direction: "up", actor: "killed" })
      .execute();

    const status = await migrationStatus(db);
    assert.equal(status.find((s) => s.name === DATA_DRIVEN)?.state, "interrupted");

    const repaired = await repairInterrupted(db, "test");
    assert.deepEqual(
      repaired.map((r) => `${r.migration}:${r.direction}`),
      [`${DATA_DRIVEN}:up`],
    );
    assert.equal((await migrationStatus(db)).find((s) => s.name === DATA_DRIVEN)?.state, "applied");
    const { rows } = await sql<{ valid: boolean; def: string }>`
      select i.indisvalid as valid, pg_get_indexdef(i.indexrelid) as def from pg_index i
      join pg_class c on c.oid = i.indexrelid where c.relname = 'ix_symbols_default_order'`.execute(db);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.valid, true);
    assert.match(rows[0]!.def, /is_default_symbol/, "the invalid index was rebuilt with the real definition");

    await migrateUp(db, { actor: "test" });
    await rollbackThrough(db, { actor: "test", migration: DATA_DRIVEN });
    await migrateUp(db, { actor: "test" });
    const after = await tableChecksum(db, "symbols");
    await rollbackThrough(db, { actor: "test", migration: DATA_DRIVEN });
    assert.equal(await tableChecksum(db, "symbols"), before, "the base columns are untouched by the recovery");
    await migrateUp(db, { actor: "test" });
    assert.equal(await tableChecksum(db, "symbols"), after);
  });

  it("an interrupted down is finished by repair and the saved values come back on up", async () => {
    const { db } = conn;
    await sql`update symbols set broadcast_priority = 3 where ticker = 'XRPUSDT'`.execute(db);
    // Later migrations come off first, as Kysely requires, so 20250108 is the newest applied.
    const later = migrationNames().filter((n) => n > DATA_DRIVEN).length;
    if (later > 0) await migrateDown(db, { actor: "test", steps: later });
    const before = await tableChecksum(db, "symbols");
    // The down ran to the end, but the process died before the run was recorded.
    await MIGRATIONS[DATA_DRIVEN]!.down!(db);
    await db
      .insertInto("migration_runs")
      .values({ migration: DATA_DRIVEN, direction: "down", actor: "killed" })
      .execute();
    assert.equal((await migrationStatus(db)).find((s) => s.name === DATA_DRIVEN)?.state, "interrupted");

    await repairInterrupted(db, "test");
    assert.equal((await migrationStatus(db)).find((s) => s.name === DATA_DRIVEN)?.state, "pending");
    await migrateUp(db, { actor: "test" });
    assert.equal(await tableChecksum(db, "symbols"), before);
  });
});

forEachEngine("20250111 killed between its drop and its rename", ({ conn }) => {
  it("is finished by running it again: the index is back under its name, covering, with no leftover", async () => {
    const { db } = conn;
    const COVERING = "20250111_covering_user_order_index";
    await migrateDown(db, { actor: "test", steps: migrationNames().filter((n) => n >= COVERING).length });
    // What a run killed after dropping the old index leaves: only the new one, under its temporary name.
    await sql`create index ix_udp_user_visible_order_next on user_dashboard_preferences
              (user_id, is_pinned desc, display_order) include (symbol_id, id, is_visible) where is_visible`.execute(
      db,
    );
    await sql`drop index ix_udp_user_visible_order`.execute(db);
    await MIGRATIONS[COVERING]!.up!(db);
    const { rows } = await sql<{ name: string; covering: boolean; valid: boolean }>`
      select c.relname as name, i.indnkeyatts < i.indnatts as covering, i.indisvalid as valid
      from pg_index i join pg_class c on c.oid = i.indexrelid
      where c.relname like 'ix_udp_user_visible_order%' order by c.relname`.execute(db);
    assert.deepEqual(rows, [{ name: "ix_udp_user_visible_order", covering: true, valid: true }]);
    await migrateUp(db, { actor: "test" });
  });
});

forEachEngine(
  "the full migration chain",
  ({ conn }) => {
    it("rolls every migration back to an empty schema and applies them all again", async () => {
      const { db } = conn;
      const steps = await migrateDown(db, { actor: "test", steps: migrationNames().length, force: true });
      assert.deepEqual(
        steps.map((s) => s.migration),
        [...migrationNames()].reverse(),
      );
      assert.ok(!(await tableExists(db, "symbols")));
      assert.deepEqual(
        (await migrationStatus(db)).map((s) => s.state),
        migrationNames().map(() => "pending"),
      );
      await migrateUp(db, { actor: "test" });
      assert.deepEqual(
        (await migrationStatus(db)).map((s) => s.state),
        migrationNames().map(() => "applied"),
      );
    });

    it("migrates up to a named migration and no further", async () => {
      const { db } = conn;
      await rollbackThrough(db, { actor: "test", migration: "20250102_symbol_desk_console", force: true });
      const applied = await migrateUp(db, { actor: "test", target: "20250102_symbol_desk_console" });
      assert.deepEqual(
        applied.map((s) => s.migration),
        ["20250102_symbol_desk_console"],
      );
      assert.equal((await migrationStatus(db)).find((s) => s.name === DATA_DRIVEN)?.state, "pending");
      await assert.rejects(migrateUp(db, { actor: "test", target: "20990101_nope" }), /Unknown migration/);
      await migrateUp(db, { actor: "test" });
    });
  },
  { defaultData: false },
);
