import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sql } from "kysely";
import { type DbConnection, openDatabase } from "../client.js";
import { rollbackGate } from "../gate/cli-gate.js";
import { MIGRATIONS } from "../migrations/index.js";
import { migrateUp, migrationStatus } from "../migrator.js";
import { createServerDatabase, type EngineName, enginesUnderTest, forEachEngine } from "./engines.js";

// The gate before a rollback: the same report as before an apply (lint findings of the down step,
// drift, last rehearsal, locks and their bounds), printed for every step `npm run db -- rollback`
// would take off, latest first; when something is off it rolls nothing back without --yes.

const [BEFORE_LAST, LAST] = Object.keys(MIGRATIONS).slice(-2) as [string, string];
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DEFAULT_ORDER_INDEX = sql`create index ix_symbols_default_order on symbols (display_order)
  include (id, ticker, display, current_price, price_change_24h) where is_default_symbol and is_active`;

/** What `work` prints, standard output and error apart. */
async function printed(work: () => Promise<boolean>): Promise<{ ok: boolean; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...args: unknown[]) => void out.push(args.join(" "));
  console.error = (...args: unknown[]) => void err.push(args.join(" "));
  try {
    return { ok: await work(), out: out.join("\n"), err: err.join("\n") };
  } finally {
    [console.log, console.error] = [log, error];
  }
}

forEachEngine("the gate before a rollback", ({ conn }) => {
  test("each step the rollback takes off gets its gate, latest first; nothing off: it may run", async () => {
    const { ok, out, err } = await printed(() => rollbackGate(conn.db, { steps: 2, yes: false }));
    assert.equal(ok, true);
    assert.equal(err, "");
    const heads = out.split("\n").filter((l) => l.startsWith("Before "));
    assert.deepEqual(heads, [`Before rolling back ${LAST}:`, `Before rolling back ${BEFORE_LAST}:`]);
    assert.match(out, /^ {2}lint: /m);
    assert.match(out, /^ {2}drift: none$/m);
    assert.match(out, /^ {2}last rehearsal: none$/m);
    assert.match(out, /^ {2}locks \(each waits at most lock_timeout \S+; each statement runs at most 10min\):$/m);
  });

  test("an index dropped by hand shows before the rollback, which then asks for --yes", async () => {
    await sql`drop index ix_symbols_default_order`.execute(conn.db);
    try {
      const refused = await printed(() => rollbackGate(conn.db, { steps: 1, yes: false }));
      assert.equal(refused.ok, false);
      assert.match(refused.out, new RegExp(`^Before rolling back ${LAST}:`));
      assert.match(refused.out, /missing index ix_symbols_default_order: CREATE INDEX/);
      assert.match(refused.out, /off: the live schema differs from what the applied migrations should have made/);
      assert.match(refused.err, /Nothing was rolled back; run again with --yes to roll back anyway\./);
      const confirmed = await printed(() => rollbackGate(conn.db, { steps: 1, yes: true }));
      assert.equal(confirmed.ok, true);
      assert.equal(confirmed.err, "");
    } finally {
      await DEFAULT_ORDER_INDEX.execute(conn.db);
    }
  });
});

// The command itself, as an operator runs it, on each engine's own database.
async function databaseFor(engine: EngineName): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (engine === "postgres") {
    const created = await createServerDatabase("sd_rollback_gate");
    return { env: { DATABASE_URL: created.url }, drop: created.drop };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "sd-rollback-gate-"));
  return { env: { SYMBOL_DESK_DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

const open = (env: Record<string, string>): Promise<DbConnection> =>
  openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.SYMBOL_DESK_DATA_DIR! });

async function cli(env: Record<string, string>, args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "db/cli.ts", ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env },
      timeout: 120_000,
    });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout, err: failed.stderr };
  }
}

for (const engine of enginesUnderTest()) {
  test(`npm run db -- rollback refuses while the gate finds drift, and rolls back with --yes [${engine}]`, async () => {
    const database = await databaseFor(engine);
    try {
      const setup = await open(database.env);
      await migrateUp(setup.db, { actor: "test" });
      await sql`drop index ix_symbols_default_order`.execute(setup.db);
      await setup.close();

      const refused = await cli(database.env, ["rollback"]);
      assert.equal(refused.code, 1, refused.err);
      assert.match(
        refused.out,
        new RegExp(`Before rolling back ${LAST}:[\\s\\S]*missing index ix_symbols_default_order`),
      );
      assert.match(refused.err, /run again with --yes to roll back anyway/);
      const confirmed = await cli(database.env, ["rollback", "--yes"]);
      assert.equal(confirmed.code, 0, confirmed.err);

      const after = await open(database.env);
      try {
        const state = new Map((await migrationStatus(after.db)).map((m) => [m.name, m.state]));
        assert.equal(state.get(LAST), "pending", "rolled back by the confirmed run only");
        assert.equal(state.get(BEFORE_LAST), "applied");
      } finally {
        await after.close();
      }
    } finally {
      await database.drop();
    }
  });
}
