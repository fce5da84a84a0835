import assert from "node:assert/strict";
import { it } from "node:test";
import pg from "pg";
import { migrateDown, migrateUp, migrationInProgress, migrationNames } from "../migrator.js";
import { forEachEngine } from "./engines.js";
import { eventually, withinDeadline } from "./eventually.js";

// Whether a migration step is running, as another session sees it: the scheduled checks wait
// for it, because checks run against a half-migrated schema record failures that are not real.

forEachEngine("a migration step in progress", ({ engine, conn }) => {
  it("is not reported while no step runs", async () => {
    assert.equal(await migrationInProgress(conn.db), false);
  });

  if (engine !== "postgres") return;

  it("is reported to other sessions for as long as a step runs, and not after it", async () => {
    // Another session holds the catalogue's tables, so the rollback of the newest migration (a
    // DROP TRIGGER on symbols, an index build on preferences) waits on it.
    const holder = new pg.Client({ connectionString: conn.url });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query("lock table symbols, user_dashboard_preferences in exclusive mode");
      const rollback = migrateDown(conn.db, { actor: "test" });
      await eventually(() => migrationInProgress(conn.db), "the waiting rollback to be seen as in progress");
      await holder.query("commit");
      const [step] = await withinDeadline(rollback, "the rollback to finish once the lock is free", 15_000);
      assert.equal(step?.migration, migrationNames().at(-1));
      assert.equal(await migrationInProgress(conn.db), false);
    } finally {
      await holder.end();
      await migrateUp(conn.db, { actor: "test" });
    }
  });
});
