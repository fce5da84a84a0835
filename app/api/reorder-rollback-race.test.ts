import assert from "node:assert/strict";
import { test } from "node:test";
import { migrateDown, migrateUp, rollbackThrough } from "#db/migrator";
import { columnsOf20250108Present } from "#db/queries/rolled-back-20250108";
import { userSymbolsQuery } from "#db/queries/user-symbols";
import { issueApiToken } from "#db/repositories/api-tokens";
import { createEndUser, symbolIdOf } from "#db/test/api-fixtures";
import { forEachEngine } from "#db/test/engines";
import { settledOrWaitingForALock, withStatementHook } from "#db/test/statement-hook";
import { bearer, call, useTestDatabase } from "./test-harness";

// A write that reads the user's list in its transaction (the reorder) looks the columns of 20250108
// up in the catalogue first. A rollback that started between that look-up and the list's read
// would leave the read naming columns that are gone: the transaction holds symbols still, so the
// rollback waits for it instead. PostgreSQL only: the embedded engine has one session, on which no
// migration can run between a transaction's statements.

/** The step run while the reorder is held: everything after it is rolled back first. */
const AFTER_DATA_DRIVEN = "20250109_console_indexes";

forEachEngine("a reorder that meets a rollback of 20250108 between its statements", ({ engine, conn }) => {
  if (engine !== "postgres") return;

  test("the rollback waits for the reorder, which answers 200 from the columns; the rollback then completes", async () => {
    const userId = await createEndUser(conn.db, `reorder-race-${Date.now()}@example.com`);
    const auth = bearer((await issueApiToken(conn.db, userId, "race")).token);
    const ids = [await symbolIdOf(conn.db, "SOLUSDT"), await symbolIdOf(conn.db, "BTCUSDT")];
    useTestDatabase(conn);
    for (const symbolId of ids) {
      const added = await call("POST", `/api/users/${userId}/symbols`, { headers: auth, json: { symbolId } });
      assert.equal(added.status, 201);
    }
    await rollbackThrough(conn.db, { actor: "test", migration: AFTER_DATA_DRIVEN });

    const listRead = userSymbolsQuery(conn.db, userId).compile().sql;
    let rollback: Promise<unknown> | null = null;
    const hooked = withStatementHook(
      conn,
      async (statement) => {
        if (rollback || statement !== listRead) return;
        // 20250108's own down step, started between the catalogue look-up and the list's read.
        rollback = migrateDown(conn.db, { actor: "test" });
        await settledOrWaitingForALock(conn.db, rollback);
      },
      { inTransactions: true },
    );
    useTestDatabase(hooked);
    try {
      const reordered = await call("PUT", `/api/users/${userId}/symbols/order`, {
        headers: auth,
        json: { symbolIds: [...ids].reverse() },
      });
      const body = await reordered.json();
      assert.ok(rollback, "the reorder was held before it read the list");
      assert.equal(reordered.status, 200, JSON.stringify(body));
      assert.equal(reordered.headers.get("X-Symbols-Fallback"), null);
      assert.deepEqual(
        (body as { symbols: { id: string }[] }).symbols.map((s) => s.id),
        [...ids].reverse(),
      );
      await rollback;
      assert.equal(await columnsOf20250108Present(conn.db), false, "the rollback completed after the reorder");
    } finally {
      useTestDatabase(conn);
      await migrateUp(conn.db, { actor: "test" });
    }
  });
});
