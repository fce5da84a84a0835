import { type Kysely, sql } from "kysely";

// 2025-01-10: announce every change to a default symbol with NOTIFY, so that the app can answer
// the seed's default query from memory (the public /api/symbols/defaults is the busiest read of
// the platform) and still show a change on the next request, on every instance.
//
// Row triggers with a WHEN clause: PostgreSQL evaluates it without calling the function, so writes
// to the other 99.99 % of the catalogue (broadcast timestamps, prices of non-defaults) cost
// nothing more. NOTIFY is sent at commit, and repeats of it in one transaction are folded into
// one. Depends on is_default_symbol (20250108), so it comes off before 20250108 does.
// Created in one transaction under a short lock_timeout, retried while the table is busy.
// Frozen in time: never imports the live schema.

const CHANNEL = "symbol_desk_default_symbols";
const LOCK_TIMEOUT = "2s";
const LOCK_ATTEMPTS = 6;

const TRIGGERS = [
  {
    name: "trg_symbols_announce_default_update",
    event: "after update",
    level: "row",
    when: "old.is_default_symbol or new.is_default_symbol",
  },
  { name: "trg_symbols_announce_default_insert", event: "after insert", level: "row", when: "new.is_default_symbol" },
  { name: "trg_symbols_announce_default_delete", event: "after delete", level: "row", when: "old.is_default_symbol" },
  { name: "trg_symbols_announce_default_truncate", event: "after truncate", level: "statement", when: null },
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
    await sql`create or replace function symbols_announce_default_change() returns trigger language plpgsql as $$
        begin
          perform pg_notify(${sql.lit(CHANNEL)}, '');
          return null;
        end $$`.execute(trx);
    for (const t of TRIGGERS) {
      await sql`create or replace trigger ${sql.id(t.name)}
          ${sql.raw(t.event)} on symbols for each ${sql.raw(t.level)}
          ${t.when ? sql.raw(`when (${t.when})`) : sql``}
          execute function symbols_announce_default_change()`.execute(trx);
    }
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await withShortLocks(db, async (trx) => {
    for (const t of [...TRIGGERS].reverse())
      await sql`drop trigger if exists ${sql.id(t.name)} on symbols`.execute(trx);
    await sql`drop function if exists symbols_announce_default_change()`.execute(trx);
  });
}
