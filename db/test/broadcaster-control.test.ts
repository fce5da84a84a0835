import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { listControlEvents, providerStates, setPaused } from "../broadcast/control.js";
import { type ConnectionState, FeedEvents, type PriceFeedAdapter } from "../broadcast/feed.js";
import { broadcasterHealth } from "../broadcast/health.js";
import { Broadcaster, type BroadcastSink, type CycleTicks } from "../broadcast/service.js";
import { SimulatedFeed } from "../broadcast/simulated-feed.js";
import { evaluateQuickTriggers, evaluateRollbackTriggers } from "../readiness/triggers.js";
import { createStaffUser } from "../repositories/staff.js";
import { listBroadcastQueue } from "../queries/broadcast-list.js";
import { clearBroadcastStamps, countStampedSymbols } from "./broadcast-fixtures.js";
import { forEachEngine } from "./engines.js";
import { eventually } from "./eventually.js";

// The pause switch (audited, read by the next cycle), the health that /broadcast and the
// rollback banner read (live, paused, stalled after 10 silent intervals), and the feed's
// connection state written to data_providers.connection_status.

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

/** An adapter driven by hand: what a Binance, BIST or Yahoo adapter reports, without the network. */
class ScriptedFeed implements PriceFeedAdapter {
  readonly name = "scripted";
  private readonly events = new FeedEvents();
  on: PriceFeedAdapter["on"] = (event, listener) => this.events.on(event, listener);
  connect = async () => undefined;
  close = async () => undefined;
  subscribe = () => undefined;
  unsubscribe = () => undefined;
  report(providerId: string, state: ConnectionState): void {
    this.events.emit("status", { providerId, state });
  }
}

forEachEngine("broadcaster: pause switch and health", ({ conn }) => {
  const statusOf = async (providerId: string) =>
    (
      await conn.db
        .selectFrom("data_providers")
        .select("connection_status")
        .where("id", "=", providerId)
        .executeTakeFirstOrThrow()
    ).connection_status;
  const providerOf = async (code: string) =>
    (await conn.db.selectFrom("data_providers").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;

  test("an adapter's connection state is written to data_providers.connection_status", async () => {
    const feed = new ScriptedFeed();
    const broadcaster = new Broadcaster(conn.db, feed, recordingSink(), { intervalMs: 1_000, instanceId: "scripted" });
    const binance = await providerOf("BINANCE_WS");
    assert.equal(await statusOf(binance), "connected");
    for (const state of ["degraded", "disconnected", "connected"] as const) {
      feed.report(binance, state);
      await eventually(async () => (await statusOf(binance)) === state, `BINANCE_WS ${state}`);
      assert.equal(
        broadcaster.stats
          .snapshot(Date.now(), { paused: false, feed: "", clients: { total: 0, anonymous: 0, byUser: [] } })
          .providers.find((p) => p.providerId === binance)?.state,
        state,
      );
    }
  });

  test(
    "the simulated feed connects the providers it follows as the catalogue last saw them, " +
      "and disconnects them on stop",
    async () => {
      const listed = await listBroadcastQueue(conn.db);
      const followed = [...new Set(listed.map((row) => row.provider_id).filter((id) => id !== null))];
      const bist = await providerOf("BIST_FEED");
      const binance = await providerOf("BINANCE_WS");
      assert.ok(followed.includes(binance) && followed.includes(bist), "the defaults come from Binance and BIST");
      await conn.db
        .updateTable("data_providers")
        .set({ connection_status: "disconnected" })
        .where("id", "=", binance)
        .execute();
      const feed = new SimulatedFeed({ seed: "t", stepMs: 0, states: await providerStates(conn.db) });
      const broadcaster = new Broadcaster(conn.db, feed, recordingSink(), {
        intervalMs: 1_000,
        instanceId: "simulated",
      });
      let stopped = false;
      try {
        await broadcaster.connect();
        await broadcaster.runCycle();
        await eventually(async () => (await statusOf(binance)) === "connected", "BINANCE_WS connected");
        assert.equal(await statusOf(bist), "degraded", "a degraded provider stays degraded");
        await broadcaster.stop();
        stopped = true;
        for (const id of followed) {
          await eventually(async () => (await statusOf(id)) === "disconnected", `${id} disconnected`);
        }
      } finally {
        if (!stopped) await broadcaster.stop();
        for (const [id, state] of [
          [binance, "connected"],
          [bist, "degraded"],
        ] as const) {
          await conn.db.updateTable("data_providers").set({ connection_status: state }).where("id", "=", id).execute();
        }
      }
    },
  );

  test("a pause by an admin is audited, stops sending and stamping from the next cycle, and a resume restarts it", async () => {
    const admin = await createStaffUser(conn.db, {
      email: "admin@example.com",
      displayName: "Ada Admin",
      role: "admin",
      password: "quiet-lantern-orchard-52",
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
    await clearBroadcastStamps(conn.db);
    const sent = sink.cycles.length;
    assert.equal((await broadcaster.runCycle()).skipped, "paused");
    assert.equal(sink.cycles.length, sent, "nothing delivered while paused");
    assert.equal(await countStampedSymbols(conn.db), 0, "nothing stamped while paused");
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
    // Read with the quick triggers, which every page and the open banner ask for afresh.
    assert.ok((await evaluateQuickTriggers(conn.db)).some((t) => t.id === "broadcaster-stalled"));
    await sql`update broadcaster_instances set last_cycle_at = now() - interval '5 seconds'`.execute(conn.db);
    assert.equal((await broadcasterHealth(conn.db)).state, "live", "5 intervals is not stalled");
    assert.ok(!(await evaluateQuickTriggers(conn.db)).some((t) => t.id === "broadcaster-stalled"));
    await sql`delete from broadcaster_instances`.execute(conn.db);
  });
});
