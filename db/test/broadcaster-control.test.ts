import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { listControlEvents, setPaused } from "../broadcast/control.js";
import { broadcasterHealth } from "../broadcast/health.js";
import { Broadcaster, type BroadcastSink, type CycleTicks } from "../broadcast/service.js";
import { SimulatedFeed } from "../broadcast/simulated-feed.js";
import { evaluateRollbackTriggers } from "../readiness/triggers.js";
import { createStaffUser } from "../repositories/staff.js";
import { forEachEngine } from "./engines.js";

// The pause switch (audited, read by the next cycle) and the health that /broadcast and the
// rollback banner read: live, paused, stalled after 10 silent intervals.

function recordingSink(): BroadcastSink & { cycles: CycleTicks[] } {
  const cycles: CycleTicks[] = [];
  return {
    cycles,
    prepare: async () => undefined,
    deliver: (cycle) => {
      cycles.push(cycle);
      return { messages: 1, bytes: 1 };
    },
    counts: () => ({ total: 0, anonymous: 0, byUser: [] }),
  };
}

forEachEngine("broadcaster: pause switch and health", ({ conn }) => {
  test("a pause by an admin is audited, stops sending and stamping from the next cycle, and a resume restarts it", async () => {
    const admin = await createStaffUser(conn.db, {
      email: "admin@example.com",
      displayName: "Ada Admin",
      role: "admin",
      password: "x".repeat(12),
    });
    const sink = recordingSink();
    const broadcaster = new Broadcaster(conn.db, new SimulatedFeed({ seed: "t", stepMs: 0 }), sink, {
      intervalMs: 1_000,
      instanceId: "test-instance",
    });
    await broadcaster.connect();
    assert.equal((await broadcaster.runCycle()).skipped, null);
    assert.equal((await broadcasterHealth(conn.db)).state, "live");

    assert.equal(await setPaused(conn.db, { paused: true, staffId: admin.id, reason: "maintenance" }), true);
    assert.equal(await setPaused(conn.db, { paused: true, staffId: admin.id, reason: null }), false, "already paused");
    await broadcaster.runCycle(); // reads the switch as it publishes its figures
    await sql`update symbols set last_broadcast_at = null`.execute(conn.db);
    const sent = sink.cycles.length;
    assert.equal((await broadcaster.runCycle()).skipped, "paused");
    assert.equal(sink.cycles.length, sent, "nothing delivered while paused");
    const stamped = await sql<{
      n: number;
    }>`select count(*)::int as n from symbols where last_broadcast_at is not null`.execute(conn.db);
    assert.equal(stamped.rows[0]!.n, 0, "nothing stamped while paused");
    assert.equal((await broadcasterHealth(conn.db)).state, "paused");

    await setPaused(conn.db, { paused: false, staffId: admin.id, reason: null });
    await broadcaster.runCycle();
    assert.equal((await broadcaster.runCycle()).skipped, null);
    const events = await listControlEvents(conn.db);
    assert.deepEqual(
      events.map((e) => [e.paused, e.reason, e.staff_name]),
      [
        [false, null, "Ada Admin"],
        [true, "maintenance", "Ada Admin"],
      ],
    );
    await broadcaster.stop();
    assert.equal((await broadcasterHealth(conn.db)).state, "not-running", "a clean stop removes its row");
  });

  test("a broadcaster silent for 10 intervals is stalled and fires the rollback banner's trigger", async () => {
    await sql`insert into broadcaster_instances (instance_id, host, started_at, last_cycle_at, interval_ms, stats)
              values ('gone', 'host-a', now() - interval '1 minute', now() - interval '11 seconds', 1000,
                      ${JSON.stringify({ paused: false })}::jsonb)`.execute(conn.db);
    const health = await broadcasterHealth(conn.db);
    assert.equal(health.state, "stalled");
    const { triggers } = await evaluateRollbackTriggers(conn, { queryRuns: 1 });
    assert.ok(
      triggers.some((t) => t.id === "broadcaster-stalled"),
      JSON.stringify(triggers),
    );
    await sql`update broadcaster_instances set last_cycle_at = now() - interval '5 seconds'`.execute(conn.db);
    assert.equal((await broadcasterHealth(conn.db)).state, "live", "5 intervals is not stalled");
    await sql`delete from broadcaster_instances`.execute(conn.db);
  });
});
