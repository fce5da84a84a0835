import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { migrateUp, rollbackThrough } from "#db/migrator";
import { issueApiToken } from "#db/repositories/api-tokens";
import { createEndUser, symbolIdOf } from "#db/test/api-fixtures";
import { forEachEngine } from "#db/test/engines";
import { tableChecksum } from "#db/test/fingerprint";
import { bearer, call, useTestDatabase } from "./test-harness";

// While 20250108 is rolled back (its four columns are gone) the three read endpoints keep
// answering 200: the defaults as the rollback saved them, in their order; a user's list and search
// on the columns left in place; each with the fallback header and since when. Writes that need
// none of the columns still work. After re-applying, the data is as before and the header is gone.

const DATA_DRIVEN = "20250108_data_driven_symbols";
const FALLBACK = /^20250108-rolled-back; since=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

forEachEngine("symbol API while 20250108 is rolled back", ({ conn }) => {
  beforeEach(() => useTestDatabase(conn));

  test("the read endpoints answer 200 from the fallback, and the header goes after re-applying", async () => {
    const withList = await createEndUser(conn.db, "rollback-list@example.com");
    const withoutList = await createEndUser(conn.db, "rollback-none@example.com");
    const listAuth = bearer((await issueApiToken(conn.db, withList, "rollback")).token);
    const noneAuth = bearer((await issueApiToken(conn.db, withoutList, "rollback")).token);
    const sol = await symbolIdOf(conn.db, "SOLUSDT");
    assert.equal(
      (await call("POST", `/api/users/${withList}/symbols`, { headers: listAuth, json: { symbolId: sol } })).status,
      201,
    );

    const read = async (path: string, headers: Record<string, string> = {}) => {
      const response = await call("GET", path, { headers });
      assert.equal(response.status, 200, path);
      return { header: response.headers.get("X-Symbols-Fallback"), body: (await response.json()) as never };
    };
    const before = {
      defaults: await read("/api/symbols/defaults"),
      list: await read(`/api/users/${withList}/symbols`, listAuth),
      none: await read(`/api/users/${withoutList}/symbols`, noneAuth),
      search: await read("/api/symbols/search?q=btc"),
    };
    for (const answer of Object.values(before)) assert.equal(answer.header, null, "no fallback header while applied");
    const symbolsBefore = await tableChecksum(conn.db, "symbols");

    await rollbackThrough(conn.db, { actor: "test", migration: DATA_DRIVEN });
    const during = {
      defaults: await read("/api/symbols/defaults"),
      list: await read(`/api/users/${withList}/symbols`, listAuth),
      none: await read(`/api/users/${withoutList}/symbols`, noneAuth),
      search: await read("/api/symbols/search?q=btc"),
    };
    for (const [name, answer] of Object.entries(during)) assert.match(answer.header ?? "", FALLBACK, name);
    assert.deepEqual(during.defaults.body, before.defaults.body, "the defaults as before, in their order");
    assert.deepEqual(during.list.body, before.list.body, "the user's own list");
    assert.deepEqual(during.none.body, before.none.body, "a user without a list gets the saved defaults");
    assert.deepEqual(during.search.body, before.search.body);

    // A write that needs none of the four columns is not refused.
    const eth = await symbolIdOf(conn.db, "ETHUSDT");
    const added = await call("POST", `/api/users/${withList}/symbols`, { headers: listAuth, json: { symbolId: eth } });
    assert.equal(added.status, 201);
    assert.equal((await call("DELETE", `/api/users/${withList}/symbols/${eth}`, { headers: listAuth })).status, 204);

    await migrateUp(conn.db, { actor: "test" });
    assert.equal(await tableChecksum(conn.db, "symbols"), symbolsBefore, "every value came back");
    const after = {
      defaults: await read("/api/symbols/defaults"),
      list: await read(`/api/users/${withList}/symbols`, listAuth),
      search: await read("/api/symbols/search?q=btc"),
    };
    for (const [name, answer] of Object.entries(after)) assert.equal(answer.header, null, name);
    assert.deepEqual(after.defaults.body, before.defaults.body);
  });

  test("a re-apply drops the fallback defaults kept in memory: the next answer has no fallback header", async () => {
    const defaults = async () => {
      const response = await call("GET", "/api/symbols/defaults");
      assert.equal(response.status, 200);
      return { header: response.headers.get("X-Symbols-Fallback"), body: (await response.json()) as unknown };
    };
    const applied = await defaults();
    await rollbackThrough(conn.db, { actor: "test", migration: DATA_DRIVEN });
    try {
      for (let i = 1; i <= 2; i++) {
        const during = await defaults();
        assert.match(during.header ?? "", FALLBACK, `read ${i} during the rollback`);
        assert.deepEqual(during.body, applied.body);
      }
    } finally {
      await migrateUp(conn.db, { actor: "test" });
    }
    const after = await defaults();
    assert.equal(after.header, null, "the re-apply's announcement dropped the fallback at once");
    assert.deepEqual(after.body, applied.body);
  });
});
