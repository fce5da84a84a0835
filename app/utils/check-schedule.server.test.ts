import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "#db/config";
import { latestRunStart } from "#db/quality/check-history";
import { forEachEngine } from "#db/test/engines";
import { holdMigratorLock } from "#db/test/session-helpers";
import { runScheduledChecks, scheduleIntervalMs } from "./check-schedule.server";

// The schedule of the data-quality checks: every 4 hours unless CHECK_INTERVAL_HOURS says
// otherwise; 0 turns it off; a value that is not a sensible number of hours stops the process.

const HOUR = 3600_000;

test("the checks run every 4 hours by default", () => {
  assert.equal(scheduleIntervalMs({}), 4 * HOUR);
  assert.equal(scheduleIntervalMs({ CHECK_INTERVAL_HOURS: "" }), 4 * HOUR);
});

test("CHECK_INTERVAL_HOURS sets the interval, fractions included, and 0 turns the schedule off", () => {
  assert.equal(scheduleIntervalMs({ CHECK_INTERVAL_HOURS: "1" }), HOUR);
  assert.equal(scheduleIntervalMs({ CHECK_INTERVAL_HOURS: "0.5" }), HOUR / 2);
  assert.equal(scheduleIntervalMs({ CHECK_INTERVAL_HOURS: "0" }), 0);
});

test("a value that is not a number of hours between 0 and a week is refused with its name", () => {
  for (const raw of ["often", "-1", "200"]) {
    assert.throws(
      () => scheduleIntervalMs({ CHECK_INTERVAL_HOURS: raw }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, raw);
        assert.match(error.message, new RegExp(`CHECK_INTERVAL_HOURS="${raw}"`));
        return true;
      },
    );
  }
});

forEachEngine("a scheduled tick", ({ conn }) => {
  test("runs the checks once per interval and stores the run", async () => {
    assert.equal(await runScheduledChecks(conn, HOUR), "ran");
    const first = await latestRunStart(conn.db, "schedule");
    assert.ok(first, "the scheduled run is stored");
    assert.equal(await runScheduledChecks(conn, HOUR), "recent");
    assert.deepEqual(await latestRunStart(conn.db, "schedule"), first, "no second run within the interval");
  });

  test("waits while a migration step holds the migrator's lock, and runs once it is free", async () => {
    const release = await holdMigratorLock(conn);
    try {
      assert.equal(await runScheduledChecks(conn, 1), "migrating");
    } finally {
      await release();
    }
    const before = await latestRunStart(conn.db, "schedule");
    assert.equal(await runScheduledChecks(conn, 1), "ran");
    assert.notDeepEqual(await latestRunStart(conn.db, "schedule"), before);
  });
});
