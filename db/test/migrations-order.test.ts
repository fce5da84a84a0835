import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { type Kysely, sql } from "kysely";
import { MIGRATIONS } from "../migrations/index.js";
import { migrateUp, migrationNames, migrationStatus, rollbackThrough } from "../migrator.js";
import { forEachEngine } from "./engines.js";
import { tableExists } from "./fingerprint.js";

// A console migration written after 20250111 is dated before 20250108 (so that rolling the
// seed's migration back never drops console data). On an install that applied everything else,
// it is applied out of order, and a later rollback of 20250108 still leaves it in place.

const DATA_DRIVEN = "20250108_data_driven_symbols";
const LATE_CONSOLE = "20250107_zz_late_console_table";

const lateConsoleTable = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations take any schema
  up: async (db: Kysely<any>) => {
    await sql`create table if not exists late_console_notes (id int primary key)`.execute(db);
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations take any schema
  down: async (db: Kysely<any>) => {
    await sql`drop table if exists late_console_notes`.execute(db);
  },
};

forEachEngine("a console migration written after later-dated ones", ({ conn }) => {
  before(() => {
    MIGRATIONS[LATE_CONSOLE] = lateConsoleTable;
  });
  after(() => {
    delete MIGRATIONS[LATE_CONSOLE];
  });

  it("is pending on an install that applied every other migration, and is applied by the next migrate", async () => {
    const pending = (await migrationStatus(conn.db)).filter((s) => s.state === "pending").map((s) => s.name);
    assert.deepEqual(pending, [LATE_CONSOLE]);
    const steps = await migrateUp(conn.db, { actor: "test" });
    assert.deepEqual(
      steps.map((s) => s.migration),
      [LATE_CONSOLE],
    );
    assert.ok(await tableExists(conn.db, "late_console_notes"));
    const status = (await migrationStatus(conn.db)).find((s) => s.name === LATE_CONSOLE);
    assert.equal(status?.state, "applied");
    assert.ok(status.appliedAt && Date.now() - status.appliedAt.getTime() < 60_000, "applied at is when it ran");
  });

  it("stays applied, with its table, when 20250108 and everything after it are rolled back by name", async () => {
    const steps = await rollbackThrough(conn.db, { actor: "test", migration: DATA_DRIVEN });
    const later = migrationNames().filter((name) => name >= DATA_DRIVEN);
    assert.deepEqual(
      steps.map((s) => s.migration),
      later.reverse(),
    );
    assert.ok(await tableExists(conn.db, "late_console_notes"), "the console table survives the rollback");
    const states = new Map((await migrationStatus(conn.db)).map((s) => [s.name, s.state]));
    assert.equal(states.get(LATE_CONSOLE), "applied");
    assert.equal(states.get(DATA_DRIVEN), "pending");
    await migrateUp(conn.db, { actor: "test" });
    assert.ok((await migrationStatus(conn.db)).every((s) => s.state === "applied"));
  });
});
