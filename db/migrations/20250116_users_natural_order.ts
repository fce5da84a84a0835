import { type Kysely, type RawBuilder, sql } from "kysely";

// 2025-01-16: the console's users list (/users) pages in natural email order (user2 before
// user10) by keyset. Its sort key, `(natural(email), lower(email), id)`, was computed for every
// row of every page: at 100k users one page took about 4.5 s (a Sort over the whole table, and
// the page's offset counted with the key computed once more per row).
//
// An expression index on exactly that key lets the page walk the index from the cursor and stop
// after one page, both ways (a backward scan for "previous"), and count the rows before the page
// from the index alone. An expression index can serve it because every function in the key is
// immutable (lower, regexp_replace with constant patterns), so no stored generated column (and
// no table rewrite) is needed. The expression is the query's (db/repositories/users.ts) to the
// character: the planner matches index expressions by their parsed form, so any difference
// leaves the index unused. `email` is carried (INCLUDE) only so the offset's count can be an
// index-only scan: the planner wants every column the query names inside the index.
//
// Built CONCURRENTLY, so sign-ups keep writing to users meanwhile; a run killed midway leaves an
// invalid index, which the next run drops and builds again. `down` drops it CONCURRENTLY: the
// list then sorts per page again, as before, and nothing is lost.
// Frozen in time: never imports the live schema.

const LOCK_TIMEOUT = "2s";
const LOCK_ATTEMPTS = 6;

const NAME = "ix_users_natural_email";
const NATURAL_EMAIL =
  "regexp_replace(regexp_replace(lower(email), '([0-9]+)', '0000000000000000000\\1', 'g'), '0*([0-9]{20})', '\\1', 'g')";
const DEFINITION = `users ((${NATURAL_EMAIL}), (lower(email)), id) include (email)`;

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
