import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { migrateUp } from "../migrator.js";
import { issueApiToken } from "../repositories/api-tokens.js";
import { flushApiRequests, takeApiRequest } from "../security/throttle.js";
import { createEndUser } from "./api-fixtures.js";
import { enginesUnderTest, freshDatabase } from "./engines.js";

// The API's request counts are saved in batches (db/security/throttle.ts). A database closed
// while a batch waits (a stopping server, a finished test) has nowhere to save it: the batch is
// dropped without a failure in the log.

for (const engine of enginesUnderTest()) {
  describe(`API request counts of a closed database [${engine}]`, () => {
    it("are dropped quietly when the database closes before they are saved", async () => {
      const conn = await freshDatabase(engine);
      await migrateUp(conn.db, { actor: "test" });
      const userId = await createEndUser(conn.db, "closing@example.com");
      const { apiToken } = await issueApiToken(conn.db, userId, "closing");
      const errors = mock.method(console, "error", () => {});
      try {
        assert.equal((await takeApiRequest(conn.db, apiToken.id)).allowed, true);
        await conn.close();
        await flushApiRequests(conn.db);
        assert.deepEqual(
          errors.mock.calls.map((call) => String(call.arguments[0])),
          [],
        );
      } finally {
        errors.mock.restore();
      }
    });
  });
}
