import { type Kysely, sql } from "kysely";

// The symbol API's own objects: bearer tokens per end user (only a hash of each secret is kept)
// and the indexes that serve symbol search (trigram for "contains", btree for short prefixes).
// Dated before 20250108 on purpose, so that a one-step rollback still targets the seed's
// migration. Nothing here reads the 20250108 columns. Frozen in time: never imports the live schema.
//
// Indexes are built CONCURRENTLY (no write lock on a busy `symbols`), so this migration runs
// outside a transaction; every statement is idempotent and a killed run is finished by re-running.

const SEARCH_INDEXES: ReadonlyArray<{ name: string; definition: string }> = [
  // "Contains" matches on ticker and on the display name, for queries of three characters or more.
  // fastupdate off: new rows go straight into the index instead of a pending list that only
  // VACUUM merges. The embedded engine has no autovacuum, and while the list is long the planner
  // rightly prefers a sequential scan; the catalogue is written far less often than searched.
  {
    name: "ix_symbols_search_ticker_trgm",
    definition: "symbols using gin (lower(ticker) gin_trgm_ops) with (fastupdate = off) where is_active",
  },
  {
    name: "ix_symbols_search_display_trgm",
    definition: "symbols using gin (lower(display) gin_trgm_ops) with (fastupdate = off) where is_active",
  },
  // Trigrams cannot serve one or two characters; a prefix match on the ticker can.
  // text_pattern_ops makes LIKE 'ab%' usable under any database collation.
  { name: "ix_symbols_search_ticker_prefix", definition: "symbols (lower(ticker) text_pattern_ops) where is_active" },
];

async function createIndexOnline(db: Kysely<any>, name: string, definition: string, unique = false): Promise<void> {
  // A killed CONCURRENTLY build leaves an INVALID index that IF NOT EXISTS would keep forever.
  const { rows } = await sql`select 1 from pg_index i join pg_class c on c.oid = i.indexrelid
    where c.relname = ${name} and not i.indisvalid`.execute(db);
  if (rows.length > 0) await sql`drop index concurrently if exists ${sql.id(name)}`.execute(db);
  await sql`create ${sql.raw(unique ? "unique " : "")}index concurrently if not exists ${sql.id(name)} on
    ${sql.raw(definition)}`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = '5s'`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`
      create table if not exists api_tokens (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references users (id) on delete cascade,
        label text not null check (length(label) between 1 and 100),
        token_hash text not null,
        token_prefix text not null,
        created_by_staff_id uuid references staff_users (id) on delete set null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`.execute(db);
    // Every authenticated request looks its token up by hash.
    await createIndexOnline(db, "ux_api_tokens_token_hash", "api_tokens (token_hash)", true);
    await createIndexOnline(db, "ix_api_tokens_user_created", "api_tokens (user_id, created_at desc)");
    for (const index of SEARCH_INDEXES) await createIndexOnline(db, index.name, index.definition);
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = '5s'`.execute(db);
  try {
    for (const index of [...SEARCH_INDEXES].reverse()) {
      await sql`drop index concurrently if exists ${sql.id(index.name)}`.execute(db);
    }
    await sql`drop table if exists api_tokens`.execute(db);
    try {
      await sql`drop extension if exists pg_trgm`.execute(db);
    } catch (error) {
      // Something created since (another index, a later migration) uses trigrams: keep it.
      if ((error as { code?: string }).code !== "2BP01") throw error;
    }
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}
