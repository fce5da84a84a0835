import { type Kysely, type RawBuilder, sql } from "kysely";

// 2025-01-09: indexes for the operations console's /symbols table, so that every sort and filter
// it offers reads an ordered index range instead of the whole catalogue (100k+ symbols).
//
// Each sort is keyset-paginated on (key, id): the trailing id makes the order total, so a row
// comparison `(key, id) > ($1, $2)` continues exactly where the previous page stopped. Low-cardinality
// columns (market, asset class, provider, the three flags) are sorted group by group on
// (column, ticker, id), which also serves filtering by that column. A null last broadcast sorts as
// -infinity, because a row comparison with nulls never matches.
//
// Depends on the 20250108 columns (broadcast_priority, last_broadcast_at, data_provider_id,
// is_default_symbol). Built CONCURRENTLY under a short lock_timeout (the migrator runs without a
// transaction), so live traffic keeps writing; a build killed midway leaves an INVALID index that
// the next run drops and rebuilds. Frozen in time: never imports the live schema.

const LOCK_TIMEOUT = "2s";
const LOCK_ATTEMPTS = 6;

export const CONSOLE_INDEXES: ReadonlyArray<{ name: string; definition: string }> = [
  { name: "ix_symbols_console_ticker", definition: "symbols (ticker, id)" },
  // Prefix search on the ticker, case-insensitively (`lower(ticker) like 'btc%'`).
  { name: "ix_symbols_console_ticker_prefix", definition: "symbols (lower(ticker) text_pattern_ops)" },
  { name: "ix_symbols_console_display", definition: "symbols (display, id)" },
  { name: "ix_symbols_console_priority", definition: "symbols (broadcast_priority, id)" },
  {
    name: "ix_symbols_console_last_broadcast",
    definition: "symbols ((coalesce(last_broadcast_at, '-infinity'::timestamptz)), id)",
  },
  { name: "ix_symbols_console_updated", definition: "symbols (updated_at, id)" },
  { name: "ix_symbols_console_market_ticker", definition: "symbols (market_id, ticker, id)" },
  { name: "ix_symbols_console_asset_class_ticker", definition: "symbols (asset_class_id, ticker, id)" },
  { name: "ix_symbols_console_provider_ticker", definition: "symbols (data_provider_id, ticker, id)" },
  { name: "ix_symbols_console_default_ticker", definition: "symbols (is_default_symbol, ticker, id)" },
  { name: "ix_symbols_console_active_ticker", definition: "symbols (is_active, ticker, id)" },
  { name: "ix_symbols_console_tracked_ticker", definition: "symbols (is_tracked, ticker, id)" },
  // The audit log filtered by staff member or field, newest first.
  { name: "ix_symbol_audit_console_staff", definition: "symbol_audit (staff_id, created_at desc)" },
  { name: "ix_symbol_audit_console_field", definition: "symbol_audit (field, created_at desc)" },
];

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

async function buildIndex(db: Kysely<any>, name: string, definition: string): Promise<void> {
  const { rows } = await sql`
    select 1 from pg_index i join pg_class c on c.oid = i.indexrelid
    where c.relname = ${name} and not i.indisvalid`.execute(db);
  if (rows.length > 0) await ddl(db, sql`drop index concurrently if exists ${sql.id(name)}`);
  await ddl(db, sql`create index concurrently if not exists ${sql.id(name)} on ${sql.raw(definition)}`);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  try {
    for (const index of CONSOLE_INDEXES) await buildIndex(db, index.name, index.definition);
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  try {
    for (const index of [...CONSOLE_INDEXES].reverse()) {
      await ddl(db, sql`drop index concurrently if exists ${sql.id(index.name)}`);
    }
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}
