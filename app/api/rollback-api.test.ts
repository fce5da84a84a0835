import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { migrateDown, migrateUp, migrationStatus } from "#db/migrator";
import { issueApiToken } from "#db/repositories/api-tokens";
import { createEndUser } from "#db/test/api-fixtures";
import { forEachEngine } from "#db/test/engines";
import { bearer, call, errorOf, useTestDatabase } from "./test-harness";

// While 20250108 is rolled back (its four columns are gone), the endpoints whose queries read them
// answer a clean 503 with Retry-After, never a 500; the rest keep working; after re-applying,
// everything answers again.

const DATA_DRIVEN = "20250108_data_driven_symbols";

forEachEngine("symbol API while 20250108 is rolled back", ({ conn }) => {
  beforeEach(() => useTestDatabase(conn));

  test("503 with Retry-After during the rollback, 200 again after re-applying", async () => {
    const userId = await createEndUser(conn.db, "rollback@example.com");
    const auth = bearer((await issueApiToken(conn.db, userId, "rollback")).token);
    const isApplied = async () =>
      (await migrationStatus(conn.db)).find((m) => m.name === DATA_DRIVEN)?.state === "applied";
    // Later migrations (which may depend on its columns) go first, as a real rollback would.
    while (await isApplied()) await migrateDown(conn.db, { actor: "test" });

    const original = console.error;
    console.error = () => {};
    try {
      for (const [path, headers] of [
        ["/api/symbols/defaults", {}],
        [`/api/users/${userId}/symbols`, auth],
      ] as const) {
        const response = await call("GET", path, { headers });
        assert.equal(response.headers.get("Retry-After"), "30", path);
        const error = await errorOf(response, 503);
        assert.equal(error.code, "service_unavailable");
        assert.ok(!/42703|column|stack/i.test(error.message), "no database detail leaks");
      }
      assert.equal(
        (await call("GET", "/api/symbols/search?q=btc")).status,
        200,
        "search needs none of the four columns",
      );
    } finally {
      console.error = original;
      await migrateUp(conn.db, { actor: "test" });
    }
    assert.equal((await call("GET", "/api/symbols/defaults")).status, 200);
    assert.equal((await call("GET", `/api/users/${userId}/symbols`, { headers: auth })).status, 200);
  });
});
