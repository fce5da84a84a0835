import { sql } from "kysely";
import type { DbConnection } from "../client.js";
import { API_TOKENS_CHANNEL, SCHEMA_CHANNEL } from "../notifications.js";
import {
  type ActiveToken,
  findActiveToken,
  hashApiToken,
  isTokenShaped,
  recordTokenUse,
  type TokenPrincipal,
  useWorthRecording,
} from "../repositories/api-tokens.js";
import { throttledStamp } from "./change-stamp.js";

// The API's token look-ups, kept in memory by the token's hash, so a request with a known token
// reads nothing to authenticate. 20250117's triggers announce whatever can end a token's validity
// (revoked, expiry moved, row deleted, also by deleting its user) with the token's hash: that one
// entry is dropped the moment the notification arrives (milliseconds after the commit), on every
// instance. Expiry is checked in memory on every request. While the listening session is down, or
// the triggers are absent, nothing is served from memory; an instance that cannot listen (only a
// transaction pooler) reads the tokens' version row at most once a second and drops everything
// when it moved.
//
// Only valid tokens are kept: an unknown secret is looked up every time (one indexed read), so a
// token issued a moment ago works at once.

/** A bound on staleness nothing announced (a trigger dropped by hand). */
const MAX_AGE_MS = 60_000;
/** Beyond this many tokens the oldest entry makes room; a look-up costs one indexed read. */
const MAX_ENTRIES = 50_000;

interface Entry {
  token: ActiveToken;
  /** The validity state the entry was read under (see `validity`). */
  validity: string;
  cachedAt: number;
}

export interface ApiTokenCache {
  /** The token's user, or null when the secret is unknown, revoked or expired; records its use. */
  authenticate(token: string): Promise<TokenPrincipal | null>;
}

async function changesAreAnnounced({ db }: DbConnection): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_trigger
    where tgrelid = to_regclass('api_tokens') and tgname like 'trg_api_tokens_announce_%'`.execute(db);
  return rows[0]!.n === 3;
}

export function apiTokenCache(conn: DbConnection): ApiTokenCache {
  const entries = new Map<string, Entry>();
  /** Bumped by every notification: a read that heard one while in flight is not kept. */
  let heard = 0;
  let validity: () => Promise<string | null>;

  if (conn.topology().changes === "poll") {
    validity = throttledStamp(conn, [API_TOKENS_CHANNEL]);
  } else {
    // Bumped when notifications may have been missed, or by one that concerns every token.
    let epoch = 0;
    /** Whether 20250117's triggers are in place: asked again after every schema step. */
    let announced: Promise<boolean> | null = null;
    const dropAll = () => {
      heard++;
      epoch++;
      announced = null;
      entries.clear();
    };
    const listening = conn
      .listen([API_TOKENS_CHANNEL, SCHEMA_CHANNEL], {
        onNotify: (channel, payload) => {
          if (channel !== API_TOKENS_CHANNEL || payload === "") return dropAll();
          heard++;
          entries.delete(payload);
        },
        onGap: dropAll,
      })
      .catch((error: unknown) => {
        console.error("[db] token cache listener could not start; reading every token:", error);
        return null;
      });
    validity = async () => {
      if (!(await listening)?.live) return null;
      const current = epoch;
      announced ??= changesAreAnnounced(conn).catch(() => false);
      return (await announced) && epoch === current ? String(current) : null;
    };
  }

  const principal = (token: ActiveToken): TokenPrincipal => ({ tokenId: token.tokenId, userId: token.userId });

  /** Records the use when a minute has passed since the last record (as the database knew it). */
  async function used(token: ActiveToken, now: number): Promise<void> {
    if (!useWorthRecording(token.lastUsedAt, now)) return;
    token.lastUsedAt = new Date(now);
    await recordTokenUse(conn.db, token.tokenId);
  }

  return {
    async authenticate(secret) {
      if (!isTokenShaped(secret)) return null;
      const hash = hashApiToken(secret);
      const state = await validity();
      const now = Date.now();
      const entry = state === null ? undefined : entries.get(hash);
      if (entry && entry.validity === state && now - entry.cachedAt < MAX_AGE_MS) {
        if (entry.token.expiresAt && entry.token.expiresAt.getTime() <= now) {
          entries.delete(hash);
          return null;
        }
        await used(entry.token, now);
        return principal(entry.token);
      }
      const heardBefore = heard;
      const token = await findActiveToken(conn.db, hash);
      if (!token) {
        entries.delete(hash);
        return null;
      }
      // A notification heard during the read may concern this very token: answered, not kept.
      if (state !== null && heard === heardBefore) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(hash, { token, validity: state, cachedAt: now });
      }
      await used(token, now);
      return principal(token);
    },
  };
}
