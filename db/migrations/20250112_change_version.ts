import { type Kysely, sql } from "kysely";

// 2025-01-12: a version row per announced change, bumped by the same triggers that NOTIFY. An
// instance that cannot listen (its only connection goes through a transaction pooler, where
// LISTEN is lost) reads the row at most once a second instead and drops its cache when it moved.
//
// The row is bumped once per transaction (a transaction-local flag), not once per row, so a bulk
// edit of the defaults costs one update. Extends 20250110's trigger function; its triggers stay as
// they are. Depends on 20250110, so it comes off before it. Frozen in time.

const CHANNEL = "symbol_desk_default_symbols";
const LOCK_TIMEOUT = "2s";
const LOCK_ATTEMPTS = 6;

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
    await sql`create table if not exists symbol_desk_change_versions (
        channel text primary key,
        version bigint not null default 0,
        changed_at timestamptz not null default now()
      )`.execute(trx);
    await sql`insert into symbol_desk_change_versions (channel) values (${CHANNEL})
        on conflict (channel) do nothing`.execute(trx);
    await sql`create or replace function symbols_announce_default_change() returns trigger language plpgsql as $$
        begin
          perform pg_notify(${sql.lit(CHANNEL)}, '');
          if current_setting('symbol_desk.default_version_bumped', true) is distinct from 'on' then
            update symbol_desk_change_versions set version = version + 1, changed_at = now()
              where channel = ${sql.lit(CHANNEL)};
            perform set_config('symbol_desk.default_version_bumped', 'on', true);
          end if;
          return null;
        end $$`.execute(trx);
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await withShortLocks(db, async (trx) => {
    // 20250110's function, exactly.
    await sql`create or replace function symbols_announce_default_change() returns trigger language plpgsql as $$
        begin
          perform pg_notify(${sql.lit(CHANNEL)}, '');
          return null;
        end $$`.execute(trx);
    await sql`drop table if exists symbol_desk_change_versions`.execute(trx);
  });
}
