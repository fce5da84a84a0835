import { type Kysely, sql } from "kysely";

// 2025-01-17: announce every change that can end an API token's validity (revoked, expiry moved,
// the row deleted, or the user it belongs to deleted, which cascades), so that the API can keep
// token look-ups in memory and still refuse a revoked token on its next request, on every
// instance. The payload is the token's hash, the key the API's cache is held under, so one
// revocation drops one entry; a truncate announces an empty payload (drop everything).
//
// A WHEN clause keeps the once-a-minute last_used_at stamp from announcing anything. Like
// 20250112, the trigger also bumps a version row once per transaction, which an instance that
// cannot listen (only a transaction pooler) reads at most once a second instead.
// Created in one transaction under a short lock_timeout, retried while the table is busy.
// Depends on 20250112's version table, so it comes off before it. Frozen in time.

const CHANNEL = "symbol_desk_api_tokens";
const LOCK_TIMEOUT = "2s";
const LOCK_ATTEMPTS = 6;

const TRIGGERS = [
  {
    name: "trg_api_tokens_announce_update",
    event: "after update",
    level: "row",
    when:
      "old.revoked_at is distinct from new.revoked_at or old.expires_at is distinct from new.expires_at " +
      "or old.token_hash is distinct from new.token_hash or old.user_id is distinct from new.user_id",
  },
  { name: "trg_api_tokens_announce_delete", event: "after delete", level: "row", when: null },
  { name: "trg_api_tokens_announce_truncate", event: "after truncate", level: "statement", when: null },
] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` in one transaction under lock_timeout, again with backoff while the lock is taken. */
async function withShortLocks(db: Kysely<any>, work: (trx: Kysely<any>) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.transaction().execute(async (trx) => {
        await sql`set local lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx);
        await work(trx);
      });
      return;
    } catch (error) {
      const lockNotAvailable = (error as { code?: string }).code === "55P03";
      if (!lockNotAvailable || attempt >= LOCK_ATTEMPTS) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await withShortLocks(db, async (trx) => {
    await sql`insert into symbol_desk_change_versions (channel) values (${CHANNEL})
        on conflict (channel) do nothing`.execute(trx);
    await sql`create or replace function api_tokens_announce_change() returns trigger language plpgsql as $$
        begin
          perform pg_notify(${sql.lit(CHANNEL)}, case when tg_level = 'ROW' then old.token_hash else '' end);
          if current_setting('symbol_desk.token_version_bumped', true) is distinct from 'on' then
            update symbol_desk_change_versions set version = version + 1, changed_at = now()
              where channel = ${sql.lit(CHANNEL)};
            perform set_config('symbol_desk.token_version_bumped', 'on', true);
          end if;
          return null;
        end $$`.execute(trx);
    for (const t of TRIGGERS) {
      await sql`create or replace trigger ${sql.id(t.name)}
          ${sql.raw(t.event)} on api_tokens for each ${sql.raw(t.level)}
          ${t.when ? sql.raw(`when (${t.when})`) : sql``}
          execute function api_tokens_announce_change()`.execute(trx);
    }
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await withShortLocks(db, async (trx) => {
    for (const t of [...TRIGGERS].reverse())
      await sql`drop trigger if exists ${sql.id(t.name)} on api_tokens`.execute(trx);
    await sql`drop function if exists api_tokens_announce_change()`.execute(trx);
    await sql`delete from symbol_desk_change_versions where channel = ${CHANNEL}`.execute(trx);
  });
}
