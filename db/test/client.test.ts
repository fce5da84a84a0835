import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it, mock } from "node:test";
import { sql } from "kysely";
import pg from "pg";
import { openDatabase } from "../client.js";
import { DataDirectoryLockedError } from "../pglite-lock.js";
import { ADMIN_URL, createServerDatabase, enginesUnderTest } from "./engines.js";
import { eventually } from "./eventually.js";

/** Opens the data directory from another process; returns what that process printed. */
function openFromAnotherProcess(dataDir: string): { status: number | null; output: string } {
  const script = `
    import { openDatabase } from ${JSON.stringify(path.resolve("db/client.ts"))};
    try {
      const conn = await openDatabase({ dataDir: ${JSON.stringify(dataDir)} });
      await conn.db.selectNoFrom((eb) => eb.val(1).as("one")).execute();
      await conn.close();
      console.log("opened");
    } catch (error) { console.log(error.name + ": " + error.message); process.exitCode = 3; }`;
  const file = path.join(os.tmpdir(), `open-${process.pid}-${Date.now()}.mts`);
  writeFileSync(file, script);
  try {
    const result = spawnSync(process.execPath, ["--import", "tsx", file], { encoding: "utf8", timeout: 60_000 });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(file, { force: true });
  }
}

describe(
  "the embedded database's lock",
  { skip: !enginesUnderTest().includes("pglite") && "pglite not under test" },
  () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "sd-lock-"));
    const dataDir = path.join(dir, "pglite");
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("refuses a second process while the first holds the data directory, and its rows stay intact", async () => {
      const conn = await openDatabase({ dataDir });
      try {
        await sql`create table t (id int primary key)`.execute(conn.db);
        await sql`insert into t select generate_series(1, 100)`.execute(conn.db);
        const second = openFromAnotherProcess(dataDir);
        assert.equal(second.status, 3);
        assert.match(second.output, /DataDirectoryLockedError: The embedded database at .* is in use by process \d+/);
        const { rows } = await sql<{ n: number; distinct_ids: number }>`
        select count(*)::int as n, count(distinct id)::int as distinct_ids from t`.execute(conn.db);
        assert.deepEqual(rows[0], { n: 100, distinct_ids: 100 });
      } finally {
        await conn.close();
      }
    });

    it("refuses a second opener in the same process too", async () => {
      const conn = await openDatabase({ dataDir });
      try {
        await assert.rejects(openDatabase({ dataDir }), DataDirectoryLockedError);
      } finally {
        await conn.close();
      }
    });

    it("lets the next process in once the first has closed, and takes over a lock whose holder died", () => {
      assert.match(openFromAnotherProcess(dataDir).output, /opened/);
      writeFileSync(`${dataDir}.lock`, "999999");
      assert.match(openFromAnotherProcess(dataDir).output, /opened/);
    });
  },
);

describe(
  "the PostgreSQL server's pool",
  { skip: !enginesUnderTest().includes("postgres") && "postgres not under test" },
  () => {
    it("survives its connections being killed (as in a server restart) and reconnects on the next query", async () => {
      const created = await createServerDatabase();
      const conn = await openDatabase({ databaseUrl: created.url, poolSize: 3 });
      try {
        await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(conn.db)));
        const name = new URL(created.url).pathname.slice(1);
        const admin = new pg.Client({ connectionString: ADMIN_URL });
        await admin.connect();
        // The pool logs each loss; caught here, so a deliberate kill leaves no alarming line in the run.
        const errors = mock.method(console, "error", () => {});
        const killed = await admin.query(
          "select count(*)::int as n from (select pg_terminate_backend(pid) " +
            "from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()) k",
          [name],
        );
        await admin.end();
        assert.ok(killed.rows[0].n >= 1, "idle connections were terminated");
        // The idle clients emit 'error'; without handlers this process would have crashed by now.
        let answer: unknown;
        for (let attempt = 0; attempt < 3 && answer === undefined; attempt++) {
          try {
            answer = (await sql<{ one: number }>`select 1 as one`.execute(conn.db)).rows[0]?.one;
          } catch (error) {
            // A query may land on a client killed a moment ago; the pool then discards it.
            assert.match(String(error), /terminat|Connection|closed|ECONNRESET/i);
          }
        }
        assert.equal(answer, 1);
        const lost = () =>
          errors.mock.calls.filter((call) => /^\[db\] idle connection lost/.test(String(call.arguments[0]))).length;
        await eventually(() => lost() >= killed.rows[0].n, "each idle connection's loss logged");
        errors.mock.restore();
        assert.equal(lost(), killed.rows[0].n, "each idle connection's loss is logged once");
      } finally {
        mock.restoreAll();
        await conn.close();
        await created.drop();
      }
    });
  },
);
