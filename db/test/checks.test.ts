import assert from "node:assert/strict";
import { it } from "node:test";
import { type Kysely, sql } from "kysely";
import { CHECKS, type CheckReport, type CheckResult, formatReport, runChecks } from "../checks/index.js";
import { queryUnderTarget } from "../checks/performance-queries.js";
import { rollbackThrough } from "../migrator.js";
import { CRITICAL_QUERIES } from "../performance/critical-queries.js";
import type { Database } from "../schema.js";
import { createEndUser, deleteEndUser } from "./api-fixtures.js";
import { forEachEngine } from "./engines.js";

// The data-quality checks against real databases: all pass on the default data, and each way of
// breaking the data on purpose makes exactly the right checks fail, with the right rows. Every
// scenario is its own `forEachEngine` block, so each starts from a fresh, migrated database.

function resultOf(report: CheckReport, id: string): CheckResult {
  const found = report.results.find((r) => r.id === id);
  assert.ok(found, `the report has no result for ${id}`);
  return found;
}

/** Ids of the checks that did not pass, sorted: the scenario's whole footprint in one value. */
const notPassing = (report: CheckReport) =>
  report.results
    .filter((r) => r.status !== "pass")
    .map((r) => r.id)
    .sort();

// A scenario that breaks data is judged by every check but the timed ones: a query's speed on a
// busy machine says nothing about the broken row, and "all pass" below still runs them all.
const UNTIMED = { categories: [...new Set(CHECKS.map((c) => c.category))].filter((c) => c !== "performance") };
const UNTIMED_COUNT = CHECKS.filter((c) => c.category !== "performance").length;

async function symbolId(db: Kysely<Database>, ticker: string): Promise<string> {
  return (await db.selectFrom("symbols").select("id").where("ticker", "=", ticker).executeTakeFirstOrThrow()).id;
}

async function providerId(db: Kysely<Database>, code: string): Promise<string> {
  return (await db.selectFrom("data_providers").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}

async function dropForeignKey(db: Kysely<Database>, table: string, column: string): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select c.conname as name from pg_constraint c
    join pg_class t on t.oid = c.conrelid
    join pg_attribute a on a.attrelid = t.oid and a.attnum = any(c.conkey)
    where c.contype = 'f' and t.relname = ${table} and a.attname = ${column}`.execute(db);
  assert.equal(rows.length, 1, `one foreign key on ${table}.${column}`);
  await sql`alter table ${sql.id(table)} drop constraint ${sql.id(rows[0]!.name)}`.execute(db);
}

async function addUserWithPreference(db: Kysely<Database>, email: string, ticker: string) {
  const userId = await createEndUser(db, email);
  const symbol = await symbolId(db, ticker);
  const preference = await db
    .insertInto("user_dashboard_preferences")
    .values({ user_id: userId, symbol_id: symbol })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { userId, symbolId: symbol, preferenceId: preference.id };
}

it("declares at least 25 checks, with unique ids", () => {
  assert.ok(CHECKS.length >= 25, `only ${CHECKS.length} checks`);
  assert.equal(new Set(CHECKS.map((c) => c.id)).size, CHECKS.length);
});

forEachEngine("data-quality checks on the default data", (ctx) => {
  it("all pass, and the timed ones all run", async () => {
    const report = await runChecks(ctx.conn);
    assert.equal(report.results.length, CHECKS.length);
    assert.equal(report.engineLabel, ctx.conn.engineLabel);
    const untimed = report.results.filter((r) => r.category !== "performance");
    assert.deepEqual(notPassing({ ...report, results: untimed }), [], formatReport(report));
    assert.equal(untimed.length, UNTIMED_COUNT);
    // Whether a query met its target is the machine's speed as much as the query's: the bench
    // judges that. Here each timed check must have measured, not crashed.
    for (const timed of report.results.filter((r) => r.category === "performance")) {
      assert.ok(timed.status === "pass" || timed.status === "fail", `${timed.id}: ${timed.message}`);
    }
  });

  it("leave no trace of the writes that prove the triggers fire", async () => {
    const snapshot = async () =>
      (
        await sql`
      select (select count(*)::int from asset_classes) as asset_classes,
             (select count(*)::int from markets) as markets,
             (select count(*)::int from data_providers) as data_providers,
             (select count(*)::int from symbols) as symbols,
             (select count(*)::int from symbols where is_default_symbol) as defaults,
             (select max(updated_at) from symbols) as last_update`.execute(ctx.conn.db)
      ).rows[0];
    const before = await snapshot();
    const report = await runChecks(ctx.conn, {
      ids: CHECKS.filter((c) => c.id.startsWith("schema.trigger.")).map((c) => c.id),
    });
    assert.equal(report.results.length, 3);
    assert.deepEqual(await snapshot(), before);
  });

  it("time each critical query by EXPLAIN ANALYZE and say so", async () => {
    const report = await runChecks(ctx.conn, { categories: ["performance"] });
    for (const query of CRITICAL_QUERIES) {
      const result = resultOf(report, `performance.query.${query.id}`);
      assert.match(
        result.message ?? "",
        new RegExp(
          `^median \\d+(\\.\\d+)? ms(, then \\d+(\\.\\d+)? ms)? \\(target < ${query.targetMs} ms\\) on ${ctx.conn.engineLabel}; plan: \\w`,
        ),
      );
    }
  });

  it("fail a query only when a second measurement is over its target too, and pass one under it at once", async () => {
    const judge = async (targetMs: number) => {
      const notes: string[] = [];
      const check = queryUnderTarget({ ...CRITICAL_QUERIES.find((q) => q.id === "broadcast-list")!, targetMs });
      const { db, features, engineLabel } = ctx.conn;
      const rows = await check.offendingRows({ db, features, engineLabel, note: (message) => notes.push(message) });
      return { rows, note: notes.join("") };
    };
    const over = await judge(0);
    assert.match(over.note, /^median \d+(\.\d+)? ms, then \d+(\.\d+)? ms \(target < 0 ms\)/);
    assert.equal(over.rows.length, 1);
    assert.equal(String(over.rows[0]!.runs_ms).split(", ").length, 10, "both measurements' runs");
    assert.match(String(over.rows[0]!.plan), /on symbols/);
    const under = await judge(Number.POSITIVE_INFINITY);
    assert.deepEqual(under.rows, []);
    assert.match(under.note, /^median \d+(\.\d+)? ms \(target < Infinity ms\)/);
  });

  it("never show a hit ratio the traffic cannot support", async () => {
    const result = resultOf(
      await runChecks(ctx.conn, { ids: ["performance.index-hit-ratio"] }),
      "performance.index-hit-ratio",
    );
    assert.equal(result.status, "pass");
    // A fresh database has far too little traffic for a 99 % figure to mean anything.
    assert.match(result.message ?? "", /^Not judged: /);
    assert.doesNotMatch(result.message ?? "", /NaN|%.*over/);
  });

  it("run only the checks asked for, and reject a name that does not exist", async () => {
    const report = await runChecks(ctx.conn, { ids: ["defaults.count"], categories: ["providers"] });
    assert.deepEqual(
      report.results.map((r) => r.id),
      ["defaults.count", ...CHECKS.filter((c) => c.category === "providers").map((c) => c.id)],
    );
    await assert.rejects(runChecks(ctx.conn, { ids: ["defaults.cuont"] }), /Unknown check "defaults\.cuont"/);
  });

  it("print a report that names every check and the verdict", async () => {
    const report = await runChecks(ctx.conn, { categories: ["defaults"] });
    const text = formatReport(report);
    for (const result of report.results) assert.ok(text.includes(result.id), result.id);
    assert.match(text, /6 checks in \d+ ms: 6 pass, 0 warn, 0 fail, 0 error\. PASSED$/);
  });
});

forEachEngine("data-quality checks: orphaned preferences", (ctx) => {
  it("report the preference whose symbol and the one whose user was deleted behind a dropped foreign key", async () => {
    const { db } = ctx.conn;
    const lostSymbol = await addUserWithPreference(db, "lost-symbol@example.com", "DOGEUSDT");
    const lostUser = await addUserWithPreference(db, "lost-user@example.com", "TRXUSDT");
    await dropForeignKey(db, "user_dashboard_preferences", "symbol_id");
    await dropForeignKey(db, "user_dashboard_preferences", "user_id");
    await db.deleteFrom("symbols").where("id", "=", lostSymbol.symbolId).execute();
    await deleteEndUser(db, lostUser.userId);

    const report = await runChecks(ctx.conn, UNTIMED);
    assert.deepEqual(notPassing(report), ["preferences.orphaned-symbol", "preferences.orphaned-user"]);
    assert.deepEqual(resultOf(report, "preferences.orphaned-symbol").sample, [
      { preference_id: lostSymbol.preferenceId, user_id: lostSymbol.userId, missing_symbol_id: lostSymbol.symbolId },
    ]);
    assert.deepEqual(resultOf(report, "preferences.orphaned-user").sample, [
      { preference_id: lostUser.preferenceId, missing_user_id: lostUser.userId, symbol_id: lostUser.symbolId },
    ]);
    assert.equal(report.passed, false);
    assert.equal(report.counts.fail, 2);
  });
});

forEachEngine("data-quality checks: broadcast priority out of range", (ctx) => {
  it("report the symbol, and the constraint missing and then NOT VALID", async () => {
    const { db } = ctx.conn;
    await sql`alter table symbols drop constraint ck_symbols_broadcast_priority_range`.execute(db);
    await db.updateTable("symbols").set({ broadcast_priority: 150 }).where("ticker", "=", "BTCUSDT").execute();

    let report = await runChecks(ctx.conn, UNTIMED);
    assert.deepEqual(notPassing(report), [
      "integrity.priority-range",
      "schema.constraint.ck_symbols_broadcast_priority_range",
    ]);
    assert.deepEqual(resultOf(report, "integrity.priority-range").sample, [
      { symbol_id: await symbolId(db, "BTCUSDT"), ticker: "BTCUSDT", broadcast_priority: 150 },
    ]);
    assert.equal(
      resultOf(report, "schema.constraint.ck_symbols_broadcast_priority_range").sample[0]?.problem,
      "missing",
    );

    // Put back without validation, as an interrupted migration would leave it.
    await sql`alter table symbols add constraint ck_symbols_broadcast_priority_range
              check (broadcast_priority between 0 and 100) not valid`.execute(db);
    report = await runChecks(ctx.conn, { categories: ["schema", "integrity"] });
    assert.deepEqual(notPassing(report), [
      "integrity.priority-range",
      "schema.constraint.ck_symbols_broadcast_priority_range",
    ]);
    assert.match(
      String(resultOf(report, "schema.constraint.ck_symbols_broadcast_priority_range").sample[0]?.problem),
      /^NOT VALID/,
    );
  });
});

forEachEngine("data-quality checks: indexes", (ctx) => {
  it("report a dropped index, then one left invalid by an interrupted concurrent build", async () => {
    const { db } = ctx.conn;
    await sql`drop index ix_udp_symbol_id`.execute(db);
    let report = await runChecks(ctx.conn, { categories: ["schema"] });
    assert.deepEqual(notPassing(report), ["schema.index.ix_udp_symbol_id"]);
    assert.deepEqual(resultOf(report, "schema.index.ix_udp_symbol_id").sample, [
      { index_name: "ix_udp_symbol_id", table_name: "user_dashboard_preferences", problem: "missing" },
    ]);

    // A unique build over duplicate values fails midway and leaves an INVALID index behind.
    await sql`drop index ix_symbols_data_provider_id`.execute(db);
    await assert.rejects(
      sql`create unique index concurrently ix_symbols_data_provider_id on symbols (data_provider_id)`.execute(db),
    );
    report = await runChecks(ctx.conn, { categories: ["schema"] });
    assert.deepEqual(notPassing(report), [
      "schema.index.ix_symbols_data_provider_id",
      "schema.index.ix_udp_symbol_id",
      "schema.no-invalid-indexes",
    ]);
    assert.match(String(resultOf(report, "schema.index.ix_symbols_data_provider_id").sample[0]?.problem), /^invalid/);
    assert.deepEqual(resultOf(report, "schema.no-invalid-indexes").sample, [
      { index_name: "ix_symbols_data_provider_id", table_name: "symbols" },
    ]);
  });
});

forEachEngine("data-quality checks: a tenth default", (ctx) => {
  it("fail the count and warn that the defaults are no longer the seed's list", async () => {
    const { db } = ctx.conn;
    await db.updateTable("symbols").set({ is_default_symbol: true }).where("ticker", "=", "DOGEUSDT").execute();
    const report = await runChecks(ctx.conn, UNTIMED);
    assert.deepEqual(notPassing(report), ["defaults.count", "defaults.seed-tickers-in-order"]);
    assert.deepEqual(resultOf(report, "defaults.count").sample, [{ default_count: 10, expected_count: 9 }]);
    const order = resultOf(report, "defaults.seed-tickers-in-order");
    assert.equal(order.status, "warn");
    assert.deepEqual(order.sample, [
      {
        position: 10,
        expected_ticker: null,
        actual_ticker: "DOGEUSDT",
        market_code: "BINANCE",
        symbol_id: await symbolId(db, "DOGEUSDT"),
      },
    ]);
    assert.deepEqual(report.counts, { pass: UNTIMED_COUNT - 2, warn: 1, fail: 1, error: 0 });
  });
});

forEachEngine("data-quality checks: a deprecated symbol reactivated", (ctx) => {
  it("report it as active", async () => {
    const { db } = ctx.conn;
    await db.updateTable("symbols").set({ is_active: true }).where("ticker", "=", "ADAUSDT").execute();
    const report = await runChecks(ctx.conn, UNTIMED);
    assert.deepEqual(notPassing(report), ["defaults.deprecated-inactive"]);
    assert.deepEqual(resultOf(report, "defaults.deprecated-inactive").sample, [
      { symbol_id: await symbolId(db, "ADAUSDT"), ticker: "ADAUSDT", is_active: true },
    ]);
  });
});

forEachEngine("data-quality checks: providers", (ctx) => {
  it("report a provider of another market, then warn about a disconnected one", async () => {
    const { db } = ctx.conn;
    const bistFeed = await providerId(db, "BIST_FEED");
    await db.updateTable("symbols").set({ data_provider_id: bistFeed }).where("ticker", "=", "BTCUSDT").execute();
    let report = await runChecks(ctx.conn, UNTIMED);
    assert.deepEqual(notPassing(report), ["providers.market-mismatch"]);
    assert.deepEqual(resultOf(report, "providers.market-mismatch").sample, [
      {
        symbol_id: await symbolId(db, "BTCUSDT"),
        ticker: "BTCUSDT",
        symbol_market: "BINANCE",
        provider_code: "BIST_FEED",
        provider_market: "BIST",
      },
    ]);

    await db
      .updateTable("data_providers")
      .set({ connection_status: "disconnected" })
      .where("id", "=", bistFeed)
      .execute();
    report = await runChecks(ctx.conn, { categories: ["providers"] });
    const unavailable = resultOf(report, "providers.unavailable-provider");
    assert.equal(unavailable.status, "warn");
    assert.deepEqual(
      unavailable.sample.map((r) => r.ticker),
      ["ASELS", "BIMAS", "BTCUSDT", "GARAN", "THYAO"],
    );
    assert.equal(report.passed, false, "the market mismatch is still an error");
  });
});

forEachEngine("data-quality checks: triggers that exist but do nothing", (ctx) => {
  it("are caught by proving each one fires", async () => {
    const { db } = ctx.conn;
    await sql`alter table symbols disable trigger trg_symbols_touch_updated_at`.execute(db);
    // Present and enabled, but their functions no longer do the job.
    for (const fn of ["symbols_clear_default_when_deactivated", "symbols_link_market_provider"]) {
      await sql`create or replace function ${sql.id(fn)}() returns trigger language plpgsql as $$ begin return new;
        end $$`.execute(db);
    }
    const report = await runChecks(ctx.conn, UNTIMED);
    assert.deepEqual(notPassing(report), [
      "schema.trigger.trg_symbols_clear_default_when_deactivated",
      "schema.trigger.trg_symbols_link_market_provider",
      "schema.trigger.trg_symbols_touch_updated_at",
    ]);
    const problem = (id: string) => String(resultOf(report, id).sample[0]?.problem);
    assert.equal(problem("schema.trigger.trg_symbols_touch_updated_at"), "disabled");
    assert.match(problem("schema.trigger.trg_symbols_clear_default_when_deactivated"), /rejected/);
    assert.match(problem("schema.trigger.trg_symbols_link_market_provider"), /stayed without one/);
  });
});

forEachEngine("data-quality checks: migration 20250108 rolled back", (ctx) => {
  it("report a clear error for each check that needs its columns, and run all the others", async () => {
    await rollbackThrough(ctx.conn.db, { actor: "test", migration: "20250108_data_driven_symbols" });
    const report = await runChecks(ctx.conn);
    assert.equal(report.results.length, CHECKS.length);
    const count = resultOf(report, "defaults.count");
    assert.equal(count.status, "error");
    assert.match(count.message ?? "", /is_default_symbol.*is migration 20250108_data_driven_symbols applied\?/);
    assert.equal(resultOf(report, "performance.query.broadcast-list").status, "error");
    assert.equal(resultOf(report, "schema.index.ix_symbols_default_order").status, "fail");
    assert.equal(resultOf(report, "schema.view.v_symbol_data_quality").status, "fail");
    assert.equal(resultOf(report, "preferences.orphaned-symbol").status, "pass");
    assert.equal(report.passed, false);
  });
});

forEachEngine("data-quality checks: index hit ratio with real traffic", (ctx) => {
  it("judge the ratio once the traffic is enough to support it", async () => {
    // 20,000 primary-key lookups from one session, whose counters are then published, so the
    // statistic the check reads is complete on both engines.
    await ctx.conn.db.connection().execute(async (session) => {
      await sql`do $$ begin
        perform set_config('enable_seqscan', 'off', true);
        for i in 1..20000 loop perform 1 from symbols where id = '00000000-0000-0000-0000-000000000000'; end loop;
      end $$`.execute(session);
      await sql`select pg_stat_force_next_flush()`.execute(session);
      await sql`select 1`.execute(session);
    });
    const result = resultOf(
      await runChecks(ctx.conn, { ids: ["performance.index-hit-ratio"] }),
      "performance.index-hit-ratio",
    );
    const figures = /^Index hit ratio (\d+\.\d\d) % over (\d+) block accesses/.exec(result.message ?? "");
    assert.ok(figures, `a judged ratio, got: ${result.message}`);
    assert.ok(Number(figures[2]) >= 20_000);
    assert.ok(Number(figures[1]) > 99);
    assert.equal(result.status, "pass");
  });
});
