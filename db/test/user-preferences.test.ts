import assert from "node:assert/strict";
import { it } from "node:test";
import {
  addUserSymbol,
  dashboardFor,
  PreferenceError,
  reorderUserSymbols,
  updateUserSymbol,
} from "../repositories/user-preferences.js";
import { createEndUser, symbolIdOf } from "./api-fixtures.js";
import { forEachEngine } from "./engines.js";

// The business rules of a user's list in db/, including under concurrency (the user-row lock):
// on the PostgreSQL server these requests really overlap.

forEachEngine("user symbol preferences", ({ conn }) => {
  it("two simultaneous adds of the same symbol: one succeeds, the other is a conflict", async () => {
    const userId = await createEndUser(conn.db, "racer@example.com");
    const btc = await symbolIdOf(conn.db, "BTCUSDT");
    const results = await Promise.allSettled([
      addUserSymbol(conn.db, userId, { symbolId: btc }),
      addUserSymbol(conn.db, userId, { symbolId: btc }),
    ]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    assert.ok(
      rejected?.reason instanceof PreferenceError && rejected.reason.kind === "conflict",
      String(rejected?.reason),
    );
  });

  it("an add inside a caller's transaction joins it: rolled back with it, nothing is kept", async () => {
    const userId = await createEndUser(conn.db, "joiner@example.com");
    const btc = await symbolIdOf(conn.db, "BTCUSDT");
    const rollBack = new Error("roll back");
    await assert.rejects(
      conn.db.transaction().execute(async (trx) => {
        await addUserSymbol(trx, userId, { symbolId: btc });
        assert.equal((await dashboardFor(trx, userId)).source, "preferences", "seen inside the transaction");
        throw rollBack;
      }),
      (error: unknown) => error === rollBack,
    );
    assert.equal((await dashboardFor(conn.db, userId)).source, "defaults");
  });

  it("simultaneous adds of different symbols get distinct places at the end of the list", async () => {
    const userId = await createEndUser(conn.db, "parallel@example.com");
    const ids = await Promise.all(["ETHUSDT", "SOLUSDT", "XRPUSDT", "BNBUSDT"].map((t) => symbolIdOf(conn.db, t)));
    const added = await Promise.all(ids.map((symbolId) => addUserSymbol(conn.db, userId, { symbolId })));
    assert.deepEqual(added.map((p) => p.displayOrder).sort(), [1, 2, 3, 4]);
  });

  it("a list whose symbols are all hidden shows the defaults", async () => {
    const userId = await createEndUser(conn.db, "hider@example.com");
    const eth = await symbolIdOf(conn.db, "ETHUSDT");
    await addUserSymbol(conn.db, userId, { symbolId: eth });
    assert.equal((await dashboardFor(conn.db, userId)).source, "preferences");
    await updateUserSymbol(conn.db, userId, eth, { isVisible: false });
    const dashboard = await dashboardFor(conn.db, userId);
    assert.equal(dashboard.source, "defaults");
    assert.equal(dashboard.symbols.length, 9);
  });

  it("a refused reorder changes nothing; hidden symbols keep their place after the shown ones", async () => {
    const userId = await createEndUser(conn.db, "orderer@example.com");
    const [btc, eth, sol] = await Promise.all(["BTCUSDT", "ETHUSDT", "SOLUSDT"].map((t) => symbolIdOf(conn.db, t)));
    for (const symbolId of [btc!, eth!, sol!]) await addUserSymbol(conn.db, userId, { symbolId });
    await updateUserSymbol(conn.db, userId, btc!, { isVisible: false });
    await assert.rejects(
      reorderUserSymbols(conn.db, userId, [sol!]),
      (e: unknown) => e instanceof PreferenceError && e.kind === "invalid",
    );
    assert.deepEqual(
      (await dashboardFor(conn.db, userId)).symbols.map((s) => s.ticker),
      ["ETHUSDT", "SOLUSDT"],
    );

    const reordered = await reorderUserSymbols(conn.db, userId, [sol!, eth!]);
    assert.deepEqual(
      reordered.symbols.map((s) => [s.ticker, s.preference?.displayOrder]),
      [
        ["SOLUSDT", 1],
        ["ETHUSDT", 2],
      ],
    );
    const hidden = await updateUserSymbol(conn.db, userId, btc!, { isVisible: true });
    assert.equal(hidden.displayOrder, 3, "the hidden one was placed after the list");
  });

  it("adding to an unknown user's list is not_found", async () => {
    const nobody = "00000000-0000-0000-0000-000000000000";
    const eth = await symbolIdOf(conn.db, "ETHUSDT");
    await assert.rejects(
      addUserSymbol(conn.db, nobody, { symbolId: eth }),
      (e: unknown) => e instanceof PreferenceError && e.kind === "not_found",
    );
  });
});
