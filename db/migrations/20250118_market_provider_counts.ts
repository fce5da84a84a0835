import { type Kysely, type RawBuilder, sql } from "kysely";

// 2025-01-18: /providers shows how many symbols each provider serves and how many each market
// holds (what "assign to all" would move). Counting the markets had no index to read: at 100k
// symbols the planner scanned the whole table (about 100 ms) on every page view, beside an
// index-only count of the providers. One small index on (market_id, data_provider_id) answers
// both from a single index-only scan, grouped by the pair. It names neither last_broadcast_at
// nor updated_at, so the broadcaster's stamp stays a HOT update (see 20250115).
//
// Built CONCURRENTLY, so writes to symbols go on meanwhile; a run killed midway leaves an invalid
// index, which the next run drops and builds again. `down` drops it CONCURRENTLY: the page then
// counts the markets by a scan again, as before, and nothing is lost.
// Frozen in time: never imports the live schema.

const LOCK_TIMEOUT = "2s";
const LOCK_ATTEMPTS = 6;

const NAME = "ix_symbols_market_provider";
const DEFINITION = "symbols (market_id, data_provider_id)";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one DDL statement, retrying with backoff while another session holds the lock. */
async function ddl(db: Kysely<any>, statement: RawBuilder<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await statement.execute(db);
      return;
    } catch (error) {
      const lockNotAvailable = (error as { code?: string }).code === "55P03";
      if (!lockNotAvailable || attempt >= LOCK_ATTEMPTS) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
}

async function indexValid(db: Kysely<any>): Promise<boolean | null> {
  const { rows } = await sql<{ valid: boolean }>`
    select i.indisvalid as valid
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where c.relname = ${NAME} and c.relnamespace = current_schema()::regnamespace`.execute(db);
  return rows[0]?.valid ?? null;
}

/** Runs `work` with the session's lock_timeout short, then puts it back. */
async function withLockTimeout(db: Kysely<any>, work: () => Promise<void>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  try {
    await work();
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}

export const up = (db: Kysely<any>) =>
  withLockTimeout(db, async () => {
    const valid = await indexValid(db);
    if (valid) return;
    if (valid === false) await ddl(db, sql`drop index concurrently if exists ${sql.id(NAME)}`);
    await ddl(db, sql`create index concurrently if not exists ${sql.id(NAME)} on ${sql.raw(DEFINITION)}`);
  });

export const down = (db: Kysely<any>) =>
  withLockTimeout(db, () => ddl(db, sql`drop index concurrently if exists ${sql.id(NAME)}`));
