import { type Kysely, type RawBuilder, sql } from "kysely";

// 2025-01-19: a hash index on symbols.id, beside the primary key, for the user query's probes.
//
// Why: the user query (critical query 2, db/queries/user-symbols.ts) reads a user's preferences
// in order and then finds each symbol by id, one probe per preference. Through symbols_pkey a
// probe reads four pages at 100k symbols (the btree's root, an inner page, a leaf, the row);
// through a hash index it reads two (the bucket page and the row: the metapage stays cached in
// the session), with no key comparisons on the way down. Measured at 100k symbols and 1M
// preferences (EXPLAIN ANALYZE medians, runs with and without the index interleaved, on a shared
// machine): the 200-preference user 0.30–0.45 ms → 0.19–0.31 ms (0.27–0.40 → 0.15–0.26 ms with
// timing off), the 30-preference user 0.109 → 0.086 ms; buffers 807 → 407. The planner picks it
// for every probe by id; the primary key stays for uniqueness, foreign keys and range or ordered
// reads (a hash index has neither).
// The cost is about 4 MB at 100k symbols and one more index entry per new symbol; the
// broadcaster's and prices' updates never change id, so they stay HOT.
//
// Built CONCURRENTLY, so writes to symbols go on meanwhile; a run killed midway leaves an invalid
// index, which the next run drops and builds again. `down` drops it CONCURRENTLY: probes walk the
// primary key again, as before, and nothing is lost.
// Frozen in time: never imports the live schema.

const LOCK_TIMEOUT = "2s";
const LOCK_ATTEMPTS = 6;

const NAME = "ix_symbols_id_hash";
const DEFINITION = "symbols using hash (id)";

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
