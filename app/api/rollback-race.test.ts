import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { migrateUp, rollbackThrough } from "#db/migrator";
import { defaultSymbolsQuery } from "#db/queries/default-symbols";
import { issueApiToken } from "#db/repositories/api-tokens";
import { createEndUser, symbolIdOf } from "#db/test/api-fixtures";
import { forEachEngine } from "#db/test/engines";
import { withStatementHook } from "#db/test/statement-hook";
import { bearer, call, useTestDatabase } from "./test-harness";

// A read that meets a schema step of 20250108 halfway through still answers 200. Each request is
// held between two of its statements while the step runs (db/test/statement-hook.ts):
// - re-apply: the request found the columns gone and is about to read the rollback's backup when
//   the re-apply restores the columns and drops the backup (the bench's 503s while it re-applied);
// - rollback: a user without a list of their own read it with the columns in place and is about
//   to read the defaults when the rollback drops the columns.

const DATA_DRIVEN = "20250108_data_driven_symbols";
const BACKUP = '"symbols_20250108_backup"';

forEachEngine("symbol API when 20250108 is rolled back or re-applied mid-request", ({ conn }) => {
  beforeEach(() => useTestDatabase(conn));

  async function endpoints() {
    const withList = await createEndUser(conn.db, `race-list-${Date.now()}@example.com`);
    const withoutList = await createEndUser(conn.db, `race-none-${Date.now()}@example.com`);
    const listAuth = bearer((await issueApiToken(conn.db, withList, "race")).token);
    const noneAuth = bearer((await issueApiToken(conn.db, withoutList, "race")).token);
    const symbolId = await symbolIdOf(conn.db, "SOLUSDT");
    const added = await call("POST", `/api/users/${withList}/symbols`, { headers: listAuth, json: { symbolId } });
    assert.equal(added.status, 201);
    return {
      defaults: { path: "/api/symbols/defaults", headers: {} },
      "user with a list": { path: `/api/users/${withList}/symbols`, headers: listAuth },
      "user without a list": { path: `/api/users/${withoutList}/symbols`, headers: noneAuth },
      search: { path: "/api/symbols/search?q=btc", headers: {} },
    };
  }

  const read = async (path: string, headers: Record<string, string>) => {
    const response = await call("GET", path, { headers });
    const body = response.status === 200 ? await response.json() : await response.text();
    return { status: response.status, header: response.headers.get("X-Symbols-Fallback"), body: body as unknown };
  };

  /** Reads `path` with the request held before the first statement `at` picks, while `step` runs. */
  async function readDuring(
    path: string,
    headers: Record<string, string>,
    at: (sql: string) => boolean,
    step: () => Promise<unknown>,
  ) {
    let held = false;
    useTestDatabase(
      withStatementHook(conn, async (sql) => {
        if (held || !at(sql)) return;
        held = true;
        await step();
      }),
    );
    try {
      const answer = await read(path, headers);
      return { held, ...answer };
    } finally {
      useTestDatabase(conn);
      await migrateUp(conn.db, { actor: "test" });
    }
  }

  test("a read held until the re-apply has dropped the backup it was about to read answers 200 from the columns", async () => {
    const answers = [];
    for (const [name, { path, headers }] of Object.entries(await endpoints())) {
      const applied = await read(path, headers);
      await rollbackThrough(conn.db, { actor: "test", migration: DATA_DRIVEN });
      const raced = await readDuring(
        path,
        headers,
        (sql) => sql.includes(BACKUP),
        () => migrateUp(conn.db, { actor: "test", target: DATA_DRIVEN }),
      );
      answers.push({ name, raced, applied });
    }
    // Every endpoint raced before any is judged, so a failure names all those that fail.
    assert.deepEqual(
      answers.map(({ name, raced }) => `${name}: ${raced.held ? "held" : "not held"}, ${raced.status}`),
      answers.map(({ name }) => `${name}: held, 200`),
    );
    for (const { name, raced, applied } of answers) {
      assert.equal(raced.header, null, `${name}: the columns were back`);
      assert.deepEqual(raced.body, applied.body, name);
    }
  });

  test("a read of the defaults held until the rollback has dropped the columns answers 200 from the backup", async () => {
    const { defaults, "user without a list": withoutList } = await endpoints();
    const defaultsSql = defaultSymbolsQuery(conn.db).compile().sql;
    for (const [name, { path, headers }] of Object.entries({ defaults, "user without a list": withoutList })) {
      const applied = await read(path, headers);
      const raced = await readDuring(
        path,
        headers,
        (sql) => sql === defaultsSql,
        () => rollbackThrough(conn.db, { actor: "test", migration: DATA_DRIVEN }),
      );
      assert.ok(raced.held, `${name}: the request was held before it read the defaults`);
      assert.equal(raced.status, 200, `${name}: ${JSON.stringify(raced.body)}`);
      assert.match(raced.header ?? "", /^20250108-rolled-back; since=/, name);
      assert.deepEqual(raced.body, applied.body, name);
    }
  });
});
