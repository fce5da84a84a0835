import assert from "node:assert/strict";
import { it } from "node:test";
import {
  ApiTokenInputError,
  authenticateApiToken,
  hashApiToken,
  issueApiToken,
  listApiTokens,
  revokeApiToken,
} from "../repositories/api-tokens.js";
import { createEndUser, deleteEndUser } from "./api-fixtures.js";
import { forEachEngine } from "./engines.js";

forEachEngine("API tokens", ({ conn }) => {
  const newUser = (email: string) => createEndUser(conn.db, email);

  it("issues a secret that is stored only as its sha256 and authenticates its user", async () => {
    const userId = await newUser("token-owner@example.com");
    const { token, apiToken } = await issueApiToken(conn.db, userId, "  Mobile app  ");
    assert.match(token, /^sdk_[A-Za-z0-9_-]{43}$/);
    assert.equal(apiToken.label, "Mobile app");
    assert.equal(apiToken.prefix, `${token.slice(0, 12)}…`);
    const stored = await conn.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("id", "=", apiToken.id)
      .executeTakeFirstOrThrow();
    assert.equal(stored.token_hash, hashApiToken(token));
    assert.ok(!JSON.stringify(stored).includes(token.slice(12)), "the secret itself is not stored");
    assert.equal(stored.last_used_at, null);

    assert.deepEqual(await authenticateApiToken(conn.db, token), { tokenId: apiToken.id, userId });
    const used = await conn.db
      .selectFrom("api_tokens")
      .select("last_used_at")
      .where("id", "=", apiToken.id)
      .executeTakeFirstOrThrow();
    assert.ok(used.last_used_at instanceof Date, "the time of use is recorded");
  });

  it("refuses unknown, malformed and revoked tokens; revoking is idempotent and scoped to the user", async () => {
    const userId = await newUser("revoker@example.com");
    const otherId = await newUser("other@example.com");
    const { token, apiToken } = await issueApiToken(conn.db, userId, "CLI");
    assert.equal(await authenticateApiToken(conn.db, "sdk_not-a-real-token"), null);
    assert.equal(await authenticateApiToken(conn.db, "Bearer xyz"), null);
    assert.equal(
      await revokeApiToken(conn.db, apiToken.id, { userId: otherId }),
      null,
      "another user's token is untouched",
    );
    assert.ok(await authenticateApiToken(conn.db, token));

    const revoked = await revokeApiToken(conn.db, apiToken.id, { userId });
    assert.ok(revoked?.revokedAt instanceof Date);
    assert.equal(await authenticateApiToken(conn.db, token), null);
    const again = await revokeApiToken(conn.db, apiToken.id);
    assert.equal(again?.revokedAt?.getTime(), revoked.revokedAt.getTime(), "the first revocation time is kept");
    assert.equal(await revokeApiToken(conn.db, "not-a-uuid"), null);
  });

  it("lists a user's tokens newest first, revoked included, and never another user's", async () => {
    const userId = await newUser("lister@example.com");
    const first = await issueApiToken(conn.db, userId, "first");
    const second = await issueApiToken(conn.db, userId, "second");
    await revokeApiToken(conn.db, first.apiToken.id);
    const listed = await listApiTokens(conn.db, userId);
    assert.deepEqual(new Set(listed.map((t) => t.label)), new Set(["first", "second"]));
    assert.ok(listed.every((t) => t.userId === userId));
    assert.ok(listed.find((t) => t.id === first.apiToken.id)?.revokedAt);
    assert.equal(listed.find((t) => t.id === second.apiToken.id)?.revokedAt, null);
    assert.deepEqual(await listApiTokens(conn.db, "garbage"), []);
  });

  it("refuses an unknown user and an empty or overlong label", async () => {
    const userId = await newUser("labels@example.com");
    await assert.rejects(
      issueApiToken(conn.db, "00000000-0000-0000-0000-000000000000", "x"),
      (e: unknown) => e instanceof ApiTokenInputError && e.field === "userId",
    );
    await assert.rejects(issueApiToken(conn.db, "nope", "x"), ApiTokenInputError);
    await assert.rejects(
      issueApiToken(conn.db, userId, "   "),
      (e: unknown) => e instanceof ApiTokenInputError && e.field === "label",
    );
    await assert.rejects(issueApiToken(conn.db, userId, "x".repeat(101)), ApiTokenInputError);
  });

  it("a user's tokens go with the user", async () => {
    const userId = await newUser("leaver@example.com");
    const { token } = await issueApiToken(conn.db, userId, "gone soon");
    await deleteEndUser(conn.db, userId);
    assert.equal(await authenticateApiToken(conn.db, token), null);
  });
});
