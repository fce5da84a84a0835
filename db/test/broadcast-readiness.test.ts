import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { publishInstance } from "../broadcast/control.js";
import { StatsRecorder } from "../broadcast/stats.js";
import { listDefaultSymbols } from "../queries/default-symbols.js";
import { broadcastCriteria } from "../readiness/broadcast-criteria.js";
import { forEachEngine } from "./engines.js";

// The seed's first-24-hours monitoring on /readiness: connection stability (disconnects per
// minute against the clients connected) and each default symbol's broadcast frequency, judged
// from the figures a broadcaster publishes, at and either side of their thresholds.

interface Minute {
  clients: number;
  disconnects: number;
  /** Cycles in the last minute that sent every default (the rest send all but the first). */
  cyclesWithAllDefaults: number;
  cycles?: number;
  lastCycleSecondsAgo?: number;
  paused?: boolean;
}

forEachEngine("readiness: the broadcaster's criteria", ({ conn }) => {
  const publish = async (minute: Minute) => {
    const now = Date.now();
    const defaults = await listDefaultSymbols(conn.db);
    const stats = new StatsRecorder();
    const cycles = minute.cycles ?? 60;
    for (let i = 0; i < cycles; i++) {
      const sent = i < minute.cyclesWithAllDefaults ? defaults : defaults.slice(1);
      stats.recordCycle(now - (cycles - i) * 1000 + 500, { ms: 5, messages: 1, bytes: 1, listed: 100, sent });
    }
    for (let i = 0; i < minute.disconnects; i++) stats.disconnects.add(now - 1000);
    const total = minute.clients;
    const figures = stats.snapshot(now, {
      paused: minute.paused ?? false,
      feed: "test",
      clients: { total, anonymous: total, byUser: [] },
    });
    const lastCycleAt = new Date(now - (minute.lastCycleSecondsAgo ?? 0) * 1000);
    await publishInstance(
      conn.db,
      { id: "readiness-test", host: "test", startedAt: new Date(now - 120_000), intervalMs: 1000, lastCycleAt },
      figures,
    );
    return { rarest: defaults[0]!.ticker };
  };
  const criteria = async () => {
    const all = await broadcastCriteria(conn.db);
    const find = (id: string) => all.find((c) => c.id === id)!;
    return { stability: find("ws-stability"), frequency: find("broadcast-frequency") };
  };

  beforeEach(async () => {
    await conn.db.deleteFrom("broadcaster_instances").execute();
  });

  test("with no broadcaster reporting, both criteria are unknown", async () => {
    const { stability, frequency } = await criteria();
    assert.equal(stability.verdict, "unknown");
    assert.equal(frequency.verdict, "unknown");
  });

  test("connection stability passes up to 10 % of the clients disconnecting in a minute, and fails past it", async () => {
    await publish({ clients: 100, disconnects: 10, cyclesWithAllDefaults: 60 });
    let { stability } = await criteria();
    assert.equal(stability.verdict, "pass", JSON.stringify(stability));
    assert.equal(stability.target, "≤ 10 disconnects/min");

    await publish({ clients: 100, disconnects: 11, cyclesWithAllDefaults: 60 });
    ({ stability } = await criteria());
    assert.equal(stability.verdict, "fail");
    assert.match(stability.actual, /^11 disconnects/);
  });

  test("with few clients, up to 5 disconnects a minute still pass", async () => {
    await publish({ clients: 3, disconnects: 5, cyclesWithAllDefaults: 60 });
    assert.equal((await criteria()).stability.verdict, "pass");
    await publish({ clients: 3, disconnects: 6, cyclesWithAllDefaults: 60 });
    assert.equal((await criteria()).stability.verdict, "fail");
  });

  test(
    "broadcast frequency passes while every default goes out in half the minute's cycles, " +
      "and names the rarest when one does not",
    async () => {
      await publish({ clients: 1, disconnects: 0, cyclesWithAllDefaults: 30 });
      let { frequency } = await criteria();
      assert.equal(frequency.verdict, "pass", JSON.stringify(frequency));
      assert.equal(frequency.target, "each in ≥ 50 % of cycles (30/min)");

      const { rarest } = await publish({ clients: 1, disconnects: 0, cyclesWithAllDefaults: 29 });
      ({ frequency } = await criteria());
      assert.equal(frequency.verdict, "fail");
      assert.equal(frequency.actual, `rarest: ${rarest} 29/min`);
    },
  );

  test("a young broadcaster is judged on the cycles it has run, and a stalled or paused one fails frequency", async () => {
    await publish({ clients: 1, disconnects: 0, cycles: 10, cyclesWithAllDefaults: 5 });
    assert.equal((await criteria()).frequency.verdict, "pass", "5 of 10 cycles is half");

    await publish({ clients: 1, disconnects: 0, cyclesWithAllDefaults: 60, lastCycleSecondsAgo: 11 });
    let { frequency } = await criteria();
    assert.equal(frequency.verdict, "fail");
    assert.equal(frequency.detail, "The broadcaster is stalled.");

    await publish({ clients: 1, disconnects: 0, cyclesWithAllDefaults: 60, paused: true });
    ({ frequency } = await criteria());
    assert.equal(frequency.verdict, "fail");
    assert.equal(frequency.detail, "The broadcaster is paused.");
  });
});
