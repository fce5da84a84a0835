import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { defaultSymbolsCache } from "../cache/default-symbols.js";
import { type DbConnection, openDatabase, SessionUnavailableError } from "../client.js";
import { migrateUp } from "../migrator.js";
import { loadDefaultData } from "../seed/default-data.js";
import { createServerDatabase } from "./engines.js";
import { eventually } from "./eventually.js";
import { type PgBouncer, startPgBouncer } from "./topology/pgbouncer.js";

// Through Debian's PgBouncer in transaction mode: the pooler is told apart from a direct
// connection, session work goes over the direct URL or is refused, and without a listening
// session the defaults cache still notices a change within about a second.

describe("through PgBouncer in transaction mode", () => {
  let bouncer: PgBouncer;
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  const opened: DbConnection[] = [];
  const open = async (options: Parameters<typeof openDatabase>[0]) => {
    const conn = await openDatabase({ poolSize: 3, ...options });
    opened.push(conn);
    return conn;
  };

  before(async () => {
    bouncer = await startPgBouncer();
    database = await createServerDatabase("sd_pooler");
    const setup = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
    try {
      await migrateUp(setup.db, { actor: "test" });
      await loadDefaultData(setup.db);
    } finally {
      await setup.close();
    }
  });
  after(async () => {
    await Promise.all(opened.map((conn) => conn.close()));
    await database?.drop();
    await bouncer?.stop();
  });

  it("tells the pooler from a direct connection", async () => {
    const pooled = await open({ databaseUrl: bouncer.through(database.url) });
    const direct = await open({ databaseUrl: database.url });
    assert.equal(pooled.topology().pooled, true, pooled.topology().poolerDetail);
    assert.equal(pooled.topology().changes, "poll");
    assert.equal(direct.topology().pooled, false, direct.topology().poolerDetail);
    assert.equal(direct.topology().changes, "notify");
  });

  it("refuses a migration through the pooler without a direct URL, and runs it over the direct one", async () => {
    const pooledOnly = await open({ databaseUrl: bouncer.through(database.url) });
    await assert.rejects(migrateUp(pooledOnly.db, { actor: "test" }), SessionUnavailableError);
    const withDirect = await open({ databaseUrl: bouncer.through(database.url), databaseDirectUrl: database.url });
    assert.equal(withDirect.topology().changes, "notify");
    assert.deepEqual(await migrateUp(withDirect.db, { actor: "test" }), []);
    // The migrator's session lock was taken and given back on one session: nobody holds it.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_locks where locktype = 'advisory'
        and database = (select oid from pg_database where datname = current_database())`.execute(withDirect.direct);
    assert.equal(rows[0]!.n, 0);
  });

  it("notices a renamed default within about a second without a listening session", async () => {
    const pooledOnly = await open({ databaseUrl: bouncer.through(database.url) });
    let computed = 0;
    const cache = defaultSymbolsCache(pooledOnly, (rows) => {
      computed++;
      return rows;
    });
    await cache.get();
    await eventually(async () => {
      const before = computed;
      await cache.get();
      return computed === before;
    }, "the cache to keep its value");
    const writer = await open({ databaseUrl: database.url });
    const started = Date.now();
    await sql`update symbols set display = 'Bitcoin via pooler' where ticker = 'BTCUSDT'`.execute(writer.db);
    await eventually(async () => (await cache.get())[0]?.display === "Bitcoin via pooler", "the renamed default", {
      timeoutMs: 3_000,
    });
    assert.ok(Date.now() - started < 2_000, `seen after ${Date.now() - started} ms`);
    // The version row moved once for the one statement.
    await sql`update symbols set display = 'Bitcoin' where ticker = 'BTCUSDT'`.execute(writer.db);
  });
});
