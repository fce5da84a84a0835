import assert from "node:assert/strict";
import { it, mock } from "node:test";
import { sql } from "kysely";
import pg from "pg";
import { defaultSymbolsCache } from "../cache/default-symbols.js";
import type { DbConnection } from "../client.js";
import { migrateUp, rollbackThrough } from "../migrator.js";
import { DEFAULT_SYMBOLS_CHANNEL, SCHEMA_CHANNEL } from "../notifications.js";
import type { DefaultSymbol } from "../queries/default-symbols.js";
import { DEFAULT_TICKERS } from "../seed/catalogue.js";
import { ADMIN_URL, forEachEngine } from "./engines.js";
import { eventually } from "./eventually.js";

const ANNOUNCE = "20250110_announce_default_changes";
const DATA_DRIVEN = "20250108_data_driven_symbols";

/** A cache whose `present` counts its calls (each is one recomputation) and notes whether the last was a fallback. */
function countedCache(conn: DbConnection) {
  const counted = { calls: 0, rolledBack: false };
  const cache = defaultSymbolsCache(conn, (rows: DefaultSymbol[], rolledBack) => {
    counted.calls++;
    counted.rolledBack = rolledBack !== null;
    return rows;
  });
  return Object.assign(counted, { cache });
}

type Counted = ReturnType<typeof countedCache>;

/** On the server the listening session connects after the cache is made; nothing is kept before. */
async function untilCaching(c: Counted): Promise<void> {
  await eventually(async () => {
    await c.cache.get();
    const calls = c.calls;
    await c.cache.get();
    return c.calls === calls;
  }, "the cache to keep its value between two reads");
}

/** A listener of the test's own, to know which notifications were sent and in what order. */
async function hearing(conn: DbConnection, channel: string) {
  const payloads: string[] = [];
  const listener = await conn.listen([channel], {
    onNotify: (_channel, payload) => payloads.push(payload),
    onGap: () => {},
  });
  await eventually(() => listener.live, `a live listener on ${channel}`);
  return { payloads, close: () => listener.close() };
}

const tickers = (rows: DefaultSymbol[]) => rows.map((r) => r.ticker);

forEachEngine("the default symbols cache", ({ engine, conn }) => {
  it("answers the seed's defaults and keeps them: a second read does not recompute", async () => {
    const c = countedCache(conn);
    assert.deepEqual(tickers(await c.cache.get()), [...DEFAULT_TICKERS]);
    assert.ok(c.calls >= 1);
    await untilCaching(c);
    const calls = c.calls;
    assert.deepEqual(tickers(await c.cache.get()), [...DEFAULT_TICKERS]);
    assert.deepEqual(tickers(await c.cache.get()), [...DEFAULT_TICKERS]);
    assert.equal(c.calls, calls);
  });

  it("shows a default's new name made by another statement once its notification arrives, recomputing once", async () => {
    const c = countedCache(conn);
    await untilCaching(c);
    const calls = c.calls;
    await sql`update symbols set display = 'Bitcoin (renamed)', current_price = 12345.67 where ticker = 'BTCUSDT'`.execute(
      conn.db,
    );
    await eventually(async () => (await c.cache.get())[0]?.display === "Bitcoin (renamed)", "the renamed default");
    assert.equal(Number((await c.cache.get())[0]?.current_price), 12345.67);
    assert.equal(c.calls, calls + 1);
    await sql`update symbols set display = 'Bitcoin' where ticker = 'BTCUSDT'`.execute(conn.db);
    await eventually(async () => (await c.cache.get())[0]?.display === "Bitcoin", "the name restored");
  });

  it("peeks at the kept value without waiting, and at nothing once a change is announced", async () => {
    const c = countedCache(conn);
    assert.equal(c.cache.peek(), undefined, "nothing is kept before the first read");
    await untilCaching(c);
    if (conn.topology().changes === "poll") {
      // Behind a transaction pooler a kept value is current only after a look at the version rows.
      assert.equal(c.cache.peek(), undefined);
      return;
    }
    assert.deepEqual(tickers(c.cache.peek()!), [...DEFAULT_TICKERS]);
    await sql`update symbols set display = 'Bitcoin (peeked)' where ticker = 'BTCUSDT'`.execute(conn.db);
    await eventually(() => c.cache.peek() === undefined, "the kept value dropped by the notification");
    await eventually(
      async () => (await c.cache.get()) && c.cache.peek()?.[0]?.display === "Bitcoin (peeked)",
      "the new value kept",
    );
    await sql`update symbols set display = 'Bitcoin' where ticker = 'BTCUSDT'`.execute(conn.db);
    await eventually(async () => (await c.cache.get())[0]?.display === "Bitcoin", "the name restored");
  });

  it("keeps its value when a symbol that is not a default changes", async () => {
    const c = countedCache(conn);
    await untilCaching(c);
    const calls = c.calls;
    const heard = await hearing(conn, DEFAULT_SYMBOLS_CHANNEL);
    try {
      await sql`update symbols set current_price = current_price + 1, display = 'Dogecoin!' where ticker = 'DOGEUSDT'`.execute(
        conn.db,
      );
      // A notification sent after the update arrives after any the update would have sent.
      await sql`select pg_notify(${DEFAULT_SYMBOLS_CHANNEL}, 'marker')`.execute(conn.db);
      await eventually(() => heard.payloads.includes("marker"), "the marker notification");
      assert.deepEqual(heard.payloads, ["marker"], "the update of a non-default announced nothing");
      await eventually(async () => (await c.cache.get(), c.calls > calls), "the marker's invalidation");
      await c.cache.get();
      assert.equal(c.calls, calls + 1);
    } finally {
      await heard.close();
      await sql`update symbols set display = 'Dogecoin' where ticker = 'DOGEUSDT'`.execute(conn.db);
    }
  });

  it("drops its value when a symbol becomes a default, and again when it stops being one", async () => {
    const c = countedCache(conn);
    await untilCaching(c);
    await sql`update symbols set is_default_symbol = true, display_order = 50 where ticker = 'DOGEUSDT'`.execute(
      conn.db,
    );
    await eventually(async () => tickers(await c.cache.get()).includes("DOGEUSDT"), "DOGEUSDT among the defaults");
    assert.deepEqual(tickers(await c.cache.get()), [...DEFAULT_TICKERS, "DOGEUSDT"]);
    await sql`update symbols set is_default_symbol = false where ticker = 'DOGEUSDT'`.execute(conn.db);
    await eventually(async () => !tickers(await c.cache.get()).includes("DOGEUSDT"), "DOGEUSDT gone from the defaults");
    assert.deepEqual(tickers(await c.cache.get()), [...DEFAULT_TICKERS]);
  });

  it("drops its value when a default is inserted and when it is deleted", async () => {
    const c = countedCache(conn);
    await untilCaching(c);
    await sql`
      insert into symbols (ticker, display, full_name, asset_class_id, market_id, is_default_symbol, is_active, display_order)
      select 'CACHEUSDT', 'Cache coin', 'Cache coin', asset_class_id, id, true, true, 60 from markets where code = 'BINANCE'`.execute(
      conn.db,
    );
    await eventually(async () => tickers(await c.cache.get()).at(-1) === "CACHEUSDT", "the inserted default");
    await sql`delete from symbols where ticker = 'CACHEUSDT'`.execute(conn.db);
    await eventually(async () => !tickers(await c.cache.get()).includes("CACHEUSDT"), "the deleted default gone");
    assert.deepEqual(tickers(await c.cache.get()), [...DEFAULT_TICKERS]);
  });

  it("keeps nothing while 20250110 is rolled back, and caches again once it is re-applied", async () => {
    const c = countedCache(conn);
    await untilCaching(c);
    const heard = await hearing(conn, SCHEMA_CHANNEL);
    try {
      const steps = await rollbackThrough(conn.db, { actor: "test", migration: ANNOUNCE });
      assert.equal(steps.at(-1)?.migration, ANNOUNCE);
      await eventually(() => heard.payloads.includes(ANNOUNCE), "the migrator's notification of the rollback");
      const calls = c.calls;
      await eventually(async () => (await c.cache.get(), c.calls > calls), "the rollback's invalidation");
      for (let i = 1; i <= 3; i++) {
        const before = c.calls;
        assert.deepEqual(tickers(await c.cache.get()), [...DEFAULT_TICKERS]);
        assert.equal(c.calls, before + 1, `read ${i} after the rollback recomputed`);
      }
      // With no trigger to announce it, a change is only seen because nothing was kept.
      await sql`update symbols set display = 'Ether' where ticker = 'ETHUSDT'`.execute(conn.db);
      assert.equal((await c.cache.get())[1]?.display, "Ether");
      await sql`update symbols set display = 'Ethereum' where ticker = 'ETHUSDT'`.execute(conn.db);

      heard.payloads.length = 0;
      await migrateUp(conn.db, { actor: "test" });
      await eventually(() => heard.payloads.includes(ANNOUNCE), "the migrator's notification of the re-apply");
      await untilCaching(c);
      const cached = c.calls;
      assert.equal((await c.cache.get())[1]?.display, "Ethereum");
      assert.equal(c.calls, cached);
    } finally {
      await heard.close();
    }
  });

  it("answers from 20250108's backup once its columns are gone, kept in memory until the re-apply drops it", async () => {
    const c = countedCache(conn);
    await untilCaching(c);
    const heard = await hearing(conn, SCHEMA_CHANNEL);
    try {
      const steps = await rollbackThrough(conn.db, { actor: "test", migration: DATA_DRIVEN });
      assert.ok(
        steps.some((s) => s.migration === ANNOUNCE),
        "20250110 came off on the way",
      );
      assert.equal(steps.at(-1)?.migration, DATA_DRIVEN);
      // 20250110's notification was sent several steps before this one.
      await eventually(() => heard.payloads.includes(DATA_DRIVEN), "the migrator's notification of 20250108 down");
      // The defaults as the rollback saved them; the backup changes only with a migration step,
      // whose announcement drops them, so they are read once and then kept.
      await untilCaching(c);
      const calls = c.calls;
      for (let i = 1; i <= 2; i++) {
        assert.deepEqual(tickers(await c.cache.get()), [...DEFAULT_TICKERS]);
        assert.equal(c.rolledBack, true, `read ${i} during the rollback came from the backup`);
      }
      assert.equal(c.calls, calls, "kept in memory, not read from the backup per request");
      const kept = c.calls;
      await migrateUp(conn.db, { actor: "test" });
      // At once: the re-apply's announcement dropped the fallback before the steps after it ended.
      assert.deepEqual(tickers(await c.cache.get()), [...DEFAULT_TICKERS]);
      assert.equal(c.rolledBack, false, "answered from the columns");
      assert.ok(c.calls > kept, "recomputed after the re-apply");
    } finally {
      await heard.close();
      await migrateUp(conn.db, { actor: "test" });
    }
    await untilCaching(c);
  });

  if (engine === "postgres") {
    it("serves nothing from memory while its listening session is down, sees a change made then, and caches after reconnecting", async () => {
      const c = countedCache(conn);
      await untilCaching(c);
      const name = new URL(conn.url!).pathname.slice(1);
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      const listenerPids = async () =>
        (
          await admin.query<{ pid: number }>(
            "select pid from pg_stat_activity where datname = $1 and query ilike 'listen%' order by pid",
            [name],
          )
        ).rows.map((r) => r.pid);
      try {
        const before = await listenerPids();
        assert.ok(before.length >= 1, "the cache's listening session shows in pg_stat_activity");
        // Connections already in the pool keep working while new ones are refused below.
        await Promise.all([1, 2, 3, 4].map(() => sql`select pg_sleep(0.05)`.execute(conn.db)));
        // Refusing new sessions holds the listener down for as long as the test needs. Its loss is
        // logged, once per session ended: caught here, and looked for below.
        const errors = mock.method(console, "error", () => {});
        await admin.query(`alter database ${name} allow_connections false`);
        await admin.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query ilike 'listen%'",
          [name],
        );
        await eventually(async () => {
          const calls = c.calls;
          await c.cache.get();
          await c.cache.get();
          return c.calls === calls + 2;
        }, "two reads in a row that both recompute");

        await sql`update symbols set display = 'XRP (while unheard)' where ticker = 'XRPUSDT'`.execute(conn.db);
        const calls = c.calls;
        assert.equal((await c.cache.get())[2]?.display, "XRP (while unheard)");
        assert.equal(c.calls, calls + 1);

        await admin.query(`alter database ${name} allow_connections true`);
        await untilCaching(c);
        errors.mock.restore();
        assert.ok(
          errors.mock.calls.some((call) => /^\[db\] notification session lost/.test(String(call.arguments[0]))),
          "the lost listening session is logged",
        );
        const after = await listenerPids();
        assert.ok(
          after.length >= 1 && after.every((pid) => !before.includes(pid)),
          "the listener reconnected as a new session",
        );
        const cached = c.calls;
        assert.equal((await c.cache.get())[2]?.display, "XRP (while unheard)");
        assert.equal(c.calls, cached);
      } finally {
        mock.restoreAll();
        await admin.query(`alter database ${name} allow_connections true`);
        await admin.end();
        await sql`update symbols set display = 'XRP' where ticker = 'XRPUSDT'`.execute(conn.db);
      }
    });
  }
});
