import { createHash, randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";
import { compileOnce } from "../queries/compiled.js";
import { isUuid } from "../uuid.js";
import { userExists } from "./users.js";

// Bearer tokens of the symbol API, one or more per end user. The secret is 32 random bytes, shown
// once when issued; only its sha256 is stored (a high-entropy secret needs no slow hash), so a
// copy of the database does not hand out working tokens. Revoked tokens stay listed for audit.

const TOKEN_PREFIX = "sdk_";
/** Characters of the secret kept in clear, so staff can tell one token from another. */
const SHOWN_CHARACTERS = 8;
/** last_used_at is written at most this often per token, so reads do not each become a write. */
const LAST_USED_RESOLUTION = "1 minute";
const LAST_USED_RESOLUTION_MS = 60_000;
export const MAX_LABEL_LENGTH = 100;
/** The longest lifetime a token may be given (ten years); without one it never expires. */
const MAX_LIFETIME_DAYS = 3650;

export interface ApiTokenSummary {
  id: string;
  userId: string;
  label: string;
  /** e.g. "sdk_AbCd1234…": enough to recognise, useless to authenticate. */
  prefix: string;
  createdByStaffId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** After this the token is refused; null: it never expires. */
  expiresAt: Date | null;
}

export interface IssuedApiToken {
  /** The secret to hand to the user; it cannot be shown again. */
  token: string;
  apiToken: ApiTokenSummary;
}

export interface TokenPrincipal {
  tokenId: string;
  userId: string;
}

export class ApiTokenInputError extends Error {
  constructor(
    readonly field: "userId" | "label" | "expiresIn",
    message: string,
  ) {
    super(message);
    this.name = "ApiTokenInputError";
  }
}

export { isUuid };

/**
 * A token's lifetime as written on the command line and sent by the token panel: a whole number
 * of days (`30d`) or hours (`12h`). Returns milliseconds; throws ApiTokenInputError otherwise.
 */
export function parseTokenLifetime(text: string): number {
  const match = /^\s*(\d{1,6})\s*([dh])\s*$/i.exec(text);
  const amount = match ? Number(match[1]) : 0;
  const hours = match?.[2]!.toLowerCase() === "d" ? amount * 24 : amount;
  if (!match || hours < 1 || hours > MAX_LIFETIME_DAYS * 24) {
    throw new ApiTokenInputError(
      "expiresIn",
      `Give the lifetime in days or hours, e.g. 30d or 12h (at most ${MAX_LIFETIME_DAYS} days).`,
    );
  }
  return hours * 3_600_000;
}

export const hashApiToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

const SUMMARY_COLUMNS = [
  "id",
  "user_id",
  "label",
  "token_prefix",
  "created_by_staff_id",
  "created_at",
  "last_used_at",
  "revoked_at",
  "expires_at",
] as const;

type SummaryRow = {
  id: string;
  user_id: string;
  label: string;
  token_prefix: string;
  created_by_staff_id: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date | null;
};

const toSummary = (row: SummaryRow): ApiTokenSummary => ({
  id: row.id,
  userId: row.user_id,
  label: row.label,
  prefix: `${row.token_prefix}…`,
  createdByStaffId: row.created_by_staff_id,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
  expiresAt: row.expires_at,
});

/**
 * Issues a new token for `userId`, valid for `lifetimeMs` when given (see parseTokenLifetime),
 * else until revoked. Throws ApiTokenInputError for an unknown user or a bad label.
 */
export async function issueApiToken(
  db: Kysely<Database>,
  userId: string,
  label: string,
  options: { createdByStaffId?: string | null; lifetimeMs?: number | null } = {},
): Promise<IssuedApiToken> {
  const cleanLabel = label.trim();
  if (!cleanLabel) throw new ApiTokenInputError("label", "Give the token a label, e.g. where it will be used.");
  if (cleanLabel.length > MAX_LABEL_LENGTH) {
    throw new ApiTokenInputError("label", `The label is too long (at most ${MAX_LABEL_LENGTH} characters).`);
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return db.transaction().execute(async (trx) => {
    if (!(await userExists(trx, userId)))
      throw new ApiTokenInputError("userId", `There is no user with the id ${userId}.`);
    const row = await trx
      .insertInto("api_tokens")
      .values({
        user_id: userId,
        label: cleanLabel,
        token_hash: hashApiToken(token),
        token_prefix: token.slice(0, TOKEN_PREFIX.length + SHOWN_CHARACTERS),
        created_by_staff_id: options.createdByStaffId ?? null,
        expires_at: options.lifetimeMs ? new Date(Date.now() + options.lifetimeMs) : null,
      })
      .returning(SUMMARY_COLUMNS)
      .executeTakeFirstOrThrow();
    return { token, apiToken: toSummary(row) };
  });
}

/**
 * Revokes a token (idempotent: revoking twice keeps the first time). With `userId`, only a token
 * of that user is touched. Returns the token, or null when there is no such token.
 */
export async function revokeApiToken(
  db: Kysely<Database>,
  tokenId: string,
  options: { userId?: string } = {},
): Promise<ApiTokenSummary | null> {
  if (!isUuid(tokenId) || (options.userId !== undefined && !isUuid(options.userId))) return null;
  const row = await db
    .updateTable("api_tokens")
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where("id", "=", tokenId)
    .$if(options.userId !== undefined, (qb) => qb.where("user_id", "=", options.userId!))
    .returning(SUMMARY_COLUMNS)
    .executeTakeFirst();
  return row ? toSummary(row) : null;
}

/** Every token of a user, newest first, revoked ones included. */
export async function listApiTokens(db: Kysely<Database>, userId: string): Promise<ApiTokenSummary[]> {
  if (!isUuid(userId)) return [];
  const rows = await db
    .selectFrom("api_tokens")
    .select(SUMMARY_COLUMNS)
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return rows.map(toSummary);
}

/** A token that is neither revoked nor expired, as the API's cache keeps it (db/cache/api-tokens.ts). */
export interface ActiveToken extends TokenPrincipal {
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

/** Whether a presented secret is shaped like one of ours (anything else is refused unread). */
export const isTokenShaped = (token: string): boolean => token.startsWith(TOKEN_PREFIX) && token.length <= 200;

// Every API request on a cache miss: compiled once (queries/compiled.ts).
const activeTokenByHash = compileOnce(["hash"], (db, p) =>
  db
    .selectFrom("api_tokens")
    .select(["id", "user_id", "last_used_at", "expires_at"])
    .where("token_hash", "=", p.hash)
    .where("revoked_at", "is", null)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", sql<Date>`now()`)])),
);

/** The token whose secret hashes to `hash`, unless it is unknown, revoked or expired. */
export async function findActiveToken(db: Kysely<Database>, hash: string): Promise<ActiveToken | null> {
  const row = (await activeTokenByHash(db, { hash }))[0];
  if (!row) return null;
  return {
    tokenId: row.id,
    userId: row.user_id,
    lastUsedAt: row.last_used_at && new Date(row.last_used_at),
    expiresAt: row.expires_at && new Date(row.expires_at),
  };
}

/** Whether a use at `now` should be recorded: last_used_at is written at most once a minute. */
export const useWorthRecording = (lastUsedAt: Date | null, now = Date.now()): boolean =>
  !lastUsedAt || now - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;

/** Records a use of the token (unless another request did within the last minute). */
export async function recordTokenUse(db: Kysely<Database>, tokenId: string): Promise<void> {
  await db
    .updateTable("api_tokens")
    .set({ last_used_at: sql`now()` })
    .where("id", "=", tokenId)
    .where((eb) =>
      eb.or([
        eb("last_used_at", "is", null),
        eb("last_used_at", "<", sql<Date>`now() - ${sql.lit(LAST_USED_RESOLUTION)}::interval`),
      ]),
    )
    .execute();
}

/**
 * The user a presented secret belongs to, or null when it is unknown, revoked or expired. Records the time
 * of use (at most once a minute per token). Reads the database every time: the API goes through
 * its cache instead (db/cache/api-tokens.ts).
 */
export async function authenticateApiToken(db: Kysely<Database>, token: string): Promise<TokenPrincipal | null> {
  if (!isTokenShaped(token)) return null;
  const found = await findActiveToken(db, hashApiToken(token));
  if (!found) return null;
  // Checked here first so that a token in steady use costs one query, not two.
  if (useWorthRecording(found.lastUsedAt)) await recordTokenUse(db, found.tokenId);
  return { tokenId: found.tokenId, userId: found.userId };
}
