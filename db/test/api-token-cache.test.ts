import assert from "node:assert/strict";
import { it } from "node:test";
import { sql } from "kysely";
import { type ApiTokenCache, apiTokenCache } from "../cache/api-tokens.js";
import type { DbConnection } from "../client.js";
import { issueApiToken, revokeApiToken } from "../repositories/api-tokens.js";
import { createEndUser, deleteEndUser } from "./api-fixtures.js";
import { forEachEngine } from "./engines.js";
import { eventually } from "./eventually.js";

// The API's token cache answers from memory, and a revoked, expired or deleted token is refused
// within a second of the change, on both engines. Each test first proves the token is served
// from memory (a change made with the triggers switched off goes unseen), so a refusal that
// follows can only come from the announcement.

/** The bound the API promises between a revocation and its refusal. */
const WITHIN_MS = 1_000;

/** Changes api_tokens without firing its triggers (nothing announced). */
async function unannounced(conn: DbConnection, change: string, tokenId: string): Promise<void> {
  await conn.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`update api_tokens set ${sql.raw(change)} where id = ${tokenId}`.execute(trx);
  });
}

/** A token of a new user, authenticated until the cache keeps it. */
async function cachedToken(conn: DbConnection, name: string, lifetimeMs?: number) {
  const userId = await createEndUser(conn.db, `${name}@example.com`);
  const issued = await issueApiToken(conn.db, userId, name, lifetimeMs ? { lifetimeMs } : {});
  const cache = apiTokenCache(conn);
  const expected = { tokenId: issued.apiToken.id, userId };
  // A revocation nobody announces shows only when nothing is kept: once it is hidden, the token is in memory.
  await eventually(async () => {
    assert.deepEqual(await cache.authenticate(issued.token), expected);
    await unannounced(conn, "revoked_at = now()", issued.apiToken.id);
    try {
      return (await cache.authenticate(issued.token)) !== null;
    } finally {
      await unannounced(conn, "revoked_at = null", issued.apiToken.id);
    }
  }, "the cache to keep the token");
  return { cache, token: issued.token, tokenId: issued.apiToken.id, userId, expiresAt: issued.apiToken.expiresAt };
}

const refusedWithin = (cache: ApiTokenCache, token: string, what: string, timeoutMs = WITHIN_MS) =>
  eventually(async () => (await cache.authenticate(token)) === null, what, { timeoutMs });

forEachEngine("the API token cache", ({ conn }) => {
  it("serves a known token from memory and refuses it within a second of its revocation", async () => {
    const { cache, token, tokenId } = await cachedToken(conn, "revoked");
    await revokeApiToken(conn.db, tokenId);
    await refusedWithin(cache, token, "the revoked token to be refused");
  });

  it("refuses a token within a second of its user being deleted (the tokens go with the user)", async () => {
    const { cache, token, userId } = await cachedToken(conn, "deleted");
    await deleteEndUser(conn.db, userId);
    await refusedWithin(cache, token, "the deleted user's token to be refused");
  });

  it("refuses a token within a second of its expiry being brought forward", async () => {
    const { cache, token, tokenId } = await cachedToken(conn, "shortened");
    await sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${tokenId}`.execute(conn.db);
    await refusedWithin(cache, token, "the token to be refused once expired");
  });

  it("refuses a kept token once its lifetime is over, with nothing announced", async () => {
    const { cache, token, expiresAt } = await cachedToken(conn, "expiring", 4_000);
    assert.ok(expiresAt);
    await refusedWithin(cache, token, "the expired token to be refused", expiresAt.getTime() - Date.now() + WITHIN_MS);
    assert.ok(Date.now() >= expiresAt.getTime(), "refused only after its expiry");
  });

  it("does not keep unknown secrets: a token issued after a miss works at once", async () => {
    const cache = apiTokenCache(conn);
    assert.equal(await cache.authenticate("sdk_unknown-secret"), null);
    assert.equal(await cache.authenticate("not-a-token"), null);
    const userId = await createEndUser(conn.db, "fresh@example.com");
    const issued = await issueApiToken(conn.db, userId, "fresh");
    assert.deepEqual(await cache.authenticate(issued.token), { tokenId: issued.apiToken.id, userId });
  });
});
