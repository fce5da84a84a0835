import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { migrateUp } from "../migrator.js";
import { issueApiToken } from "../repositories/api-tokens.js";
import { configureApiRateLimit, flushApiRequests, takeApiRequest } from "../security/throttle.js";
import { createEndUser } from "./api-fixtures.js";
import { enginesUnderTest, freshDatabase } from "./engines.js";

// The API's request counts are saved in batches (db/security/throttle.ts). A database closed
// while a batch waits (a stopping server, a finished test) has nowhere to save it: the batch is
// dropped without a failure in the log. A batch on its way still counts against the limit.

for (const engine of enginesUnderTest()) {
  describe(`API request counts saved in batches [${engine}]`, () => {
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

    it("holds the limit while a batch is being saved: its requests still count", async () => {
      const conn = await freshDatabase(engine);
      await migrateUp(conn.db, { actor: "test" });
      const userId = await createEndUser(conn.db, "flushing@example.com");
      const { apiToken } = await issueApiToken(conn.db, userId, "flushing");
      configureApiRateLimit({ limit: 2, windowMs: 60_000 });
      let flushing: Promise<void> | undefined;
      try {
        assert.equal((await takeApiRequest(conn.db, apiToken.id)).allowed, true);
        // The first request is on its way to the database while two more arrive.
        flushing = flushApiRequests(conn.db);
        assert.equal((await takeApiRequest(conn.db, apiToken.id)).allowed, true);
        assert.equal((await takeApiRequest(conn.db, apiToken.id)).allowed, false, "the third of a limit of two");
        await flushing;
        const after = await takeApiRequest(conn.db, apiToken.id);
        assert.deepEqual([after.allowed, after.remaining], [false, 0]);
      } finally {
        configureApiRateLimit("reset-to-env");
        await flushing;
        await conn.close();
      }
    });
  });
}
