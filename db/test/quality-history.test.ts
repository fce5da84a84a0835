import assert from "node:assert/strict";
import { it } from "node:test";
import { sql } from "kysely";
import { CHECKS } from "../checks/index.js";
import {
  checkTrends,
  latestCheckRun,
  latestRunStart,
  recentCheckRuns,
  runAndStoreChecks,
} from "../quality/check-history.js";
import { forEachEngine } from "./engines.js";

// The stored side of the data-quality checks: each run is kept with every check's result and its
// sample of offending rows, and each check's history reads back as a trend, oldest first.

forEachEngine("stored check runs", (ctx) => {
  it("store a passing run, then a run that finds the priority broken on purpose, and read both back", async () => {
    const { db } = ctx.conn;
    const first = await runAndStoreChecks(ctx.conn, { trigger: "schedule", actor: "scheduler" });
    assert.equal(first.report.passed, true);

    // Break the data: drop the guard and put a priority out of range.
    await sql`alter table symbols drop constraint ck_symbols_broadcast_priority_range`.execute(db);
    await db.updateTable("symbols").set({ broadcast_priority: 150 }).where("ticker", "=", "ETHUSDT").execute();
    const second = await runAndStoreChecks(ctx.conn, { trigger: "manual", actor: "viewer@example.com" });
    assert.equal(second.report.passed, false);

    const latest = await latestCheckRun(db);
    assert.ok(latest);
    assert.equal(latest.id, second.runId);
    assert.equal(latest.trigger, "manual");
    assert.equal(latest.actor, "viewer@example.com");
    assert.equal(latest.passed, false);
    assert.equal(latest.results.length, CHECKS.length);
    assert.deepEqual(latest.counts, second.report.counts);
    const priority = latest.results.find((r) => r.id === "integrity.priority-range");
    assert.equal(priority?.status, "fail");
    assert.equal(priority?.offendingCount, 1);
    const eth = await db.selectFrom("symbols").select("id").where("ticker", "=", "ETHUSDT").executeTakeFirstOrThrow();
    assert.deepEqual(priority?.sample, [{ symbol_id: eth.id, ticker: "ETHUSDT", broadcast_priority: 150 }]);
    assert.equal(
      latest.results.find((r) => r.id === "schema.constraint.ck_symbols_broadcast_priority_range")?.status,
      "fail",
    );

    const trends = await checkTrends(db);
    assert.deepEqual(
      trends.get("integrity.priority-range")?.map((p) => [p.status, p.offendingCount]),
      [
        ["pass", 0],
        ["fail", 1],
      ],
    );
    assert.deepEqual(
      trends.get("defaults.count")?.map((p) => p.status),
      ["pass", "pass"],
    );
    assert.equal(trends.size, CHECKS.length);

    const runs = await recentCheckRuns(db);
    assert.deepEqual(
      runs.map((r) => [r.trigger, r.passed]),
      [
        ["manual", false],
        ["schedule", true],
      ],
    );
    assert.equal((await latestRunStart(db, "schedule"))?.getTime(), first.report.startedAt.getTime());
  });

  it("keep a failing sample at 20 rows while counting every offending row", async () => {
    const { db } = ctx.conn;
    // 30 providerless symbols: more than a sample holds.
    await sql`alter table symbols disable trigger trg_symbols_link_market_provider`.execute(db);
    await db.updateTable("symbols").set({ data_provider_id: null }).execute();
    const { runId } = await runAndStoreChecks(ctx.conn, { trigger: "cli", actor: "test" });
    const latest = await latestCheckRun(db);
    assert.equal(latest?.id, runId);
    const result = latest?.results.find((r) => r.id === "providers.symbols-without-provider");
    const total = Number((await sql<{ n: number }>`select count(*)::int as n from symbols`.execute(db)).rows[0]!.n);
    assert.equal(result?.offendingCount, total);
    assert.equal(result?.sample.length, Math.min(20, total));
  });
});

forEachEngine("stored check runs on an empty history", (ctx) => {
  it("read as nothing stored yet rather than failing", async () => {
    assert.equal(await latestCheckRun(ctx.conn.db), null);
    assert.equal((await checkTrends(ctx.conn.db)).size, 0);
    assert.equal(await latestRunStart(ctx.conn.db), null);
  });
});
