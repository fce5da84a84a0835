import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { before, beforeEach, test } from "node:test";
import { ConsoleMigrationRollbackError, migrateDown, migrationStatus, rollbackThrough } from "#db/migrator";
import { forEachEngine } from "#db/test/engines";
import { BASE, staffCookie, useTestDatabase } from "~/api/test-harness";
import { action, loader } from "./route";

// The console's own migrations (everything dated before 20250108: staff, sessions, tokens, the
// audit log, the security store) are never rolled back from /migrations, not even by a forged
// POST, and the command line does it only with --force, after saying what goes with them.

const SEED = "20250108_data_driven_symbols";
const BROADCASTER_CONTROL = "20250107_broadcaster_control";

async function statusOf(run: () => Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    const result = await run();
    const init = (result as { init?: ResponseInit | null }).init;
    return { status: init?.status ?? 200, body: (result as { data?: unknown }).data ?? result };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: await thrown.text() };
    const init = (thrown as { init?: ResponseInit | null }).init;
    if (init?.status) return { status: init.status, body: (thrown as { data?: unknown }).data };
    throw thrown;
  }
}

forEachEngine("the console's own migrations", ({ engine, conn }) => {
  let admin: Record<string, string> = {};
  const state = async (name: string) => (await migrationStatus(conn.db)).find((m) => m.name === name)?.state;
  const downRuns = async () =>
    (await conn.db.selectFrom("migration_runs").select("migration").where("direction", "=", "down").execute()).map(
      (r) => r.migration,
    );
  const post = (form: Record<string, string>) =>
    statusOf(() =>
      action({
        request: new Request(`${BASE}/migrations`, {
          method: "POST",
          headers: { ...admin, Origin: BASE },
          body: new URLSearchParams(form),
        }),
        params: {},
        context: {},
      }),
    );

  before(async () => {
    useTestDatabase(conn);
    admin = await staffCookie(conn, "admin", "admin@console-migrations.test");
    // The seed's migration and everything after it off: a console migration is next to roll back.
    await rollbackThrough(conn.db, { actor: "test", migration: SEED });
  });
  beforeEach(() => useTestDatabase(conn));

  test("the panel says why the next rollback is not offered, and a forged POST is refused with 403", async () => {
    const page = (await statusOf(() =>
      loader({ request: new Request(`${BASE}/migrations`, { headers: admin }), params: {}, context: {} }),
    )) as { status: number; body: { nextDown: { name: string; refusal: string | null } } };
    assert.equal(page.status, 200);
    assert.equal(page.body.nextDown.name, BROADCASTER_CONTROL);
    assert.match(page.body.nextDown.refusal ?? "", /cannot be rolled back from this page/);
    assert.match(page.body.nextDown.refusal ?? "", /Staff accounts, sessions, API tokens and the audit log/);
    assert.match(page.body.nextDown.refusal ?? "", /rollback --force/);

    const before = await downRuns();
    // The next step, as the form would name it, and one further back, as a forger might.
    for (const migration of [BROADCASTER_CONTROL, "20250102_symbol_desk_console"]) {
      const refused = await post({ intent: "rollback", migration });
      assert.equal(refused.status, 403, migration);
      assert.match(JSON.stringify(refused.body), /console's own migrations/);
    }
    assert.equal(await state(BROADCASTER_CONTROL), "applied");
    assert.equal(await state("20250102_symbol_desk_console"), "applied");
    assert.deepEqual(await downRuns(), before, "no rollback was started");
  });

  test("the migrator refuses them without force, before touching anything", async () => {
    await assert.rejects(migrateDown(conn.db, { actor: "test" }), ConsoleMigrationRollbackError);
    await assert.rejects(
      rollbackThrough(conn.db, { actor: "test", migration: "20250104_quality_history" }),
      ConsoleMigrationRollbackError,
    );
    assert.equal(await state(BROADCASTER_CONTROL), "applied");
    assert.equal(await state("20250104_quality_history"), "applied");
  });

  // The command line opens its own connection: a server database can be shared with it, an
  // in-memory embedded one cannot.
  if (engine !== "postgres") return;
  test("`npm run db -- rollback` asks for --force and says what goes; with it, the rollback runs", async () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "db/cli.ts", "rollback", ...args], {
        env: { ...process.env, DATABASE_URL: conn.url, DATABASE_DIRECT_URL: conn.url },
        encoding: "utf8",
      });
    const refused = cli();
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, new RegExp(`${BROADCASTER_CONTROL} is one of the console's own migrations`));
    assert.match(refused.stderr, /Staff accounts, sessions, API tokens and the audit log go with it/);
    assert.match(refused.stderr, /add --force/);
    assert.equal(await state(BROADCASTER_CONTROL), "applied");

    const forced = cli("--force");
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stdout, /Forced: .*Staff accounts, sessions, API tokens and the audit log/);
    assert.match(forced.stdout, new RegExp(`rolled back ${BROADCASTER_CONTROL}`));
    assert.equal(await state(BROADCASTER_CONTROL), "pending");
  });
});
