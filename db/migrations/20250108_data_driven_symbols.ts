import { type Kysely, type RawBuilder, sql } from "kysely";

// 2025-01-08: data-driven symbol management (broadcast priority, last broadcast, explicit data
// provider, default flag), with the indexes, constraints, triggers and view that serve it.
//
// Written for a busy `symbols` table, so the run is not one transaction (CONCURRENTLY cannot run
// in one): every statement is idempotent and a run killed midway is finished by running it again.
// - each DDL statement waits at most `lock_timeout` for its lock and is retried with backoff,
//   so it never queues in front of live traffic for long;
// - columns use constant defaults (catalog-only since PostgreSQL 11, no rewrite);
// - constraints are added NOT VALID (brief lock) and validated separately (no write lock);
// - indexes are built CONCURRENTLY; an INVALID index left by a killed build is rebuilt;
// - the backfill runs in small batches so no transaction holds many row locks.
//
// `down` saves the four columns' values per symbol in `symbols_20250108_backup` before removing
// them; `up` adds them back and restores the values in one transaction, so a rollback and
// re-apply loses nothing and no reader ever sees the columns at their defaults.
// Frozen in time: this file never imports the live schema.

const BACKUP_TABLE = "symbols_20250108_backup";
const LOCK_TIMEOUT = "2s";
const LOCK_ATTEMPTS = 6;
const BATCH_SIZE = 10_000;

export const INDEXES: ReadonlyArray<{ name: string; definition: string }> = [
  {
    name: "ix_symbols_default_order",
    definition:
      "symbols (display_order) include (id, ticker, display, current_price, price_change_24h) where " +
      "is_default_symbol and is_active",
  },
  {
    name: "ix_symbols_broadcast_queue",
    definition: "symbols (broadcast_priority desc, last_broadcast_at asc nulls first) where is_active and is_tracked",
  },
  {
    name: "ix_symbols_market_broadcast_queue",
    definition:
      "symbols (market_id, broadcast_priority desc, last_broadcast_at asc nulls first) where is_active and is_tracked",
  },
  { name: "ix_symbols_data_provider_id", definition: "symbols (data_provider_id)" },
  {
    name: "ix_udp_user_visible_order",
    definition: "user_dashboard_preferences (user_id, is_pinned desc, display_order) where is_visible",
  },
  { name: "ix_udp_symbol_id", definition: "user_dashboard_preferences (symbol_id)" },
];

const CONSTRAINTS: ReadonlyArray<{ name: string; definition: string }> = [
  { name: "ck_symbols_broadcast_priority_range", definition: "check (broadcast_priority between 0 and 100)" },
  { name: "ck_symbols_default_is_active", definition: "check (not is_default_symbol or is_active)" },
  { name: "fk_symbols_data_provider", definition: "foreign key (data_provider_id) references data_providers (id)" },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one DDL statement under lock_timeout, retrying while another session holds the lock. */
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

async function exists(db: Kysely<any>, query: RawBuilder<unknown>): Promise<boolean> {
  const { rows } = await query.execute(db);
  return rows.length > 0;
}

const columnExists = (db: Kysely<any>, table: string, column: string) =>
  exists(
    db,
    sql`select 1 from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} and column_name = ${column}`,
  );

const tableExists = (db: Kysely<any>, table: string) =>
  exists(
    db,
    sql`select 1 from information_schema.tables where table_schema = current_schema() and table_name = ${table}`,
  );

async function addConstraintOnline(db: Kysely<any>, name: string, definition: string): Promise<void> {
  const found = await sql<{ convalidated: boolean }>`
    select convalidated from pg_constraint
    where conname = ${name} and conrelid = 'symbols'::regclass`.execute(db);
  // The pg_constraint look-up above is what makes these re-runnable (ADD CONSTRAINT has no
  // IF NOT EXISTS); the comment tells squawk so.
  if (found.rows.length === 0) {
    await ddl(
      db,
      sql`-- squawk-ignore prefer-robust-stmts
alter table symbols add constraint ${sql.id(name)} ${sql.raw(definition)} not valid`,
    );
  }
  if (!found.rows[0]?.convalidated) {
    await ddl(
      db,
      sql`-- squawk-ignore prefer-robust-stmts
alter table symbols validate constraint ${sql.id(name)}`,
    );
  }
}

async function createIndexOnline(db: Kysely<any>, name: string, definition: string): Promise<void> {
  const invalid = await exists(
    db,
    sql`select 1 from pg_index i join pg_class c on c.oid = i.indexrelid
        where c.relname = ${name} and not i.indisvalid`,
  );
  if (invalid) await ddl(db, sql`drop index concurrently if exists ${sql.id(name)}`);
  await ddl(db, sql`create index concurrently if not exists ${sql.id(name)} on ${sql.raw(definition)}`);
}

/** Repeats a batched UPDATE until it touches no row, so no transaction locks many rows. */
async function inBatches(db: Kysely<any>, batch: () => RawBuilder<unknown>): Promise<void> {
  for (;;) {
    const result = await batch().execute(db);
    if (Number(result.numAffectedRows ?? 0) === 0) return;
  }
}

const ADD_COLUMNS = sql`alter table symbols
  add column if not exists broadcast_priority integer not null default 50,
  add column if not exists last_broadcast_at timestamptz,
  add column if not exists data_provider_id uuid,
  add column if not exists is_default_symbol boolean not null default false`;

/**
 * Re-applying after a rollback: the columns come back and the saved values go into them in one
 * transaction. Readers wait for the lock (about a second at 100k symbols) but never see the
 * columns at their defaults, e.g. an empty list of default symbols. Rows whose saved values
 * equal the defaults are not rewritten.
 */
async function addColumnsAndRestore(db: Kysely<any>): Promise<void> {
  const gin = await existingIndexes(db, SEARCH_GIN_INDEXES);
  for (let attempt = 1; ; attempt++) {
    try {
      await db.transaction().execute(async (trx) => {
        await sql`set local lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx);
        await ADD_COLUMNS.execute(trx);
        // The rewrite of every row inserts each new row version into the trigram indexes; with
        // fastupdate off (how search keeps steady latency) that is ~20 GIN insertions a row, one
        // by one: 16 s at 100k symbols, all under this transaction's lock. Collected in their
        // pending lists instead, and merged in bulk right after the commit: 4 s.
        for (const index of gin) await sql`alter index ${sql.id(index)} set (fastupdate = on)`.execute(trx);
        await sql`set local gin_pending_list_limit = '1GB'`.execute(trx);
        await sql`
          update symbols s set
            broadcast_priority = b.broadcast_priority,
            last_broadcast_at = b.last_broadcast_at,
            data_provider_id = b.data_provider_id,
            is_default_symbol = b.is_default_symbol
          from ${sql.id(BACKUP_TABLE)} b
          where s.id = b.symbol_id
            and (b.broadcast_priority, b.last_broadcast_at, b.data_provider_id, b.is_default_symbol)
                is distinct from (50, null::timestamptz, null::uuid, false)`.execute(trx);
      });
      break;
    } catch (error) {
      const lockNotAvailable = (error as { code?: string }).code === "55P03";
      if (!lockNotAvailable || attempt >= LOCK_ATTEMPTS) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
  // Back to one-by-one insertion first, so that nothing new queues behind the merge.
  for (const index of gin) {
    await ddl(db, sql`alter index ${sql.id(index)} set (fastupdate = off)`);
    await sql`select gin_clean_pending_list(${index}::regclass)`.execute(db);
  }
}

/** The trigram indexes of symbol search (20250103), as they stood on 2025-01-08. */
const SEARCH_GIN_INDEXES = ["ix_symbols_search_ticker_trgm", "ix_symbols_search_display_trgm"];

async function existingIndexes(db: Kysely<any>, names: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_class c
    where c.relkind = 'i' and c.relname = any(${names as string[]}) and c.relnamespace = current_schema()::regnamespace`.execute(
    db,
  );
  return names.filter((name) => rows.some((r) => r.name === name));
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  // Index builds sort in memory instead of spilling to disk (1M preferences sort in ~100 MB).
  await sql`set maintenance_work_mem = '256MB'`.execute(db);
  try {
    const hasBackup = await tableExists(db, BACKUP_TABLE);
    if (hasBackup) {
      await addColumnsAndRestore(db);
    } else {
      await ddl(db, ADD_COLUMNS);
    }

    // Link every symbol not restored above to its market's primary provider.
    const notRestored = hasBackup
      ? sql`and not exists (select 1 from ${sql.id(BACKUP_TABLE)} b where b.symbol_id = s.id)`
      : sql``;
    await inBatches(
      db,
      () => sql`
        update symbols set data_provider_id = dp.id
        from data_providers dp
        where dp.market_id = symbols.market_id and dp.is_primary
          and symbols.id in (
            select s.id from symbols s
            where s.data_provider_id is null ${notRestored}
              and exists (select 1 from data_providers p where p.market_id = s.market_id and p.is_primary)
            limit ${BATCH_SIZE}
          )`,
    );

    for (const constraint of CONSTRAINTS) await addConstraintOnline(db, constraint.name, constraint.definition);
    for (const index of INDEXES) await createIndexOnline(db, index.name, index.definition);

    await ddl(
      db,
      sql`create or replace function symbols_touch_updated_at() returns trigger language plpgsql as $$
          begin
            new.updated_at := now();
            return new;
          end $$`,
    );
    await ddl(
      db,
      sql`create or replace function symbols_clear_default_when_deactivated() returns trigger language plpgsql as $$
          begin
            -- A deprecated symbol cannot stay among the defaults.
            new.is_default_symbol := false;
            return new;
          end $$`,
    );
    await ddl(
      db,
      sql`create or replace function symbols_link_market_provider() returns trigger language plpgsql as $$
          begin
            select id into new.data_provider_id from data_providers
            where market_id = new.market_id and is_primary;
            return new;
          end $$`,
    );
    await ddl(
      db,
      sql`create or replace trigger trg_symbols_touch_updated_at
          before update on symbols for each row execute function symbols_touch_updated_at()`,
    );
    await ddl(
      db,
      sql`create or replace trigger trg_symbols_clear_default_when_deactivated
          before update of is_active on symbols for each row
          when (old.is_active and not new.is_active)
          execute function symbols_clear_default_when_deactivated()`,
    );
    await ddl(
      db,
      sql`create or replace trigger trg_symbols_link_market_provider
          before insert on symbols for each row
          when (new.data_provider_id is null)
          execute function symbols_link_market_provider()`,
    );

    await ddl(
      db,
      sql`create or replace view v_symbol_data_quality as
          select metric, value from (
            select 1 as ord, 'total_symbols' as metric, count(*) as value from symbols
            union all select 2, 'active_symbols', count(*) filter (where is_active) from symbols
            union all select 3, 'default_symbols', count(*) filter (where is_default_symbol) from symbols
            union all select 4, 'inactive_default_symbols', count(*) filter (where is_default_symbol and not
              is_active) from symbols
            union all select 5, 'tracked_symbols', count(*) filter (where is_active and is_tracked) from symbols
            union all select 6, 'symbols_without_provider', count(*) filter (where data_provider_id is null) from
              symbols
            union all select 7, 'priority_out_of_range', count(*) filter (where broadcast_priority not between 0 and
              100) from symbols
            union all select 8, 'provider_market_mismatch', count(*) from symbols s
              join data_providers dp on dp.id = s.data_provider_id where dp.market_id <> s.market_id
            union all select 9, 'orphaned_preferences', count(*) from user_dashboard_preferences p
              where not exists (select 1 from symbols s where s.id = p.symbol_id)
                 or not exists (select 1 from users u where u.id = p.user_id)
            union all select 10, 'preferences_on_inactive_symbols', count(*) from user_dashboard_preferences p
              join symbols s on s.id = p.symbol_id where not s.is_active
          ) figures order by ord`,
    );

    // The re-added columns have no statistics until ANALYZE: without them the planner guesses
    // that half the table is default and seq-scans the default query (measured: 55 ms instead of
    // 0.06 ms at 100k symbols). Sampling takes a fraction of a second.
    await sql`analyze symbols`.execute(db);

    // Every saved value is back in `symbols`: the backup has done its job.
    if (hasBackup)
      await ddl(
        db,
        sql`-- squawk-ignore ban-drop-table
drop table if exists ${sql.id(BACKUP_TABLE)}`,
      );
  } finally {
    await sql`reset lock_timeout`.execute(db);
    await sql`reset maintenance_work_mem`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  try {
    await ddl(db, sql`drop view if exists v_symbol_data_quality`);
    await ddl(db, sql`drop trigger if exists trg_symbols_link_market_provider on symbols`);
    await ddl(db, sql`drop trigger if exists trg_symbols_clear_default_when_deactivated on symbols`);
    await ddl(db, sql`drop trigger if exists trg_symbols_touch_updated_at on symbols`);
    await ddl(db, sql`drop function if exists symbols_link_market_provider()`);
    await ddl(db, sql`drop function if exists symbols_clear_default_when_deactivated()`);
    await ddl(db, sql`drop function if exists symbols_touch_updated_at()`);

    // Save the values first: if this run dies after this point, running it again (or `up`)
    // still has them.
    if (await columnExists(db, "symbols", "broadcast_priority")) {
      await ddl(
        db,
        sql`create table if not exists ${sql.id(BACKUP_TABLE)} (
              symbol_id uuid primary key,
              broadcast_priority integer,
              last_broadcast_at timestamptz,
              data_provider_id uuid,
              is_default_symbol boolean,
              saved_at timestamptz not null default now()
            )`,
      );
      await sql`
        insert into ${sql.id(BACKUP_TABLE)} (symbol_id, broadcast_priority, last_broadcast_at, data_provider_id,
          is_default_symbol)
        select id, broadcast_priority, last_broadcast_at, data_provider_id, is_default_symbol from symbols
        on conflict (symbol_id) do update set
          broadcast_priority = excluded.broadcast_priority,
          last_broadcast_at = excluded.last_broadcast_at,
          data_provider_id = excluded.data_provider_id,
          is_default_symbol = excluded.is_default_symbol,
          saved_at = now()`.execute(db);
    }

    for (const index of [...INDEXES].reverse()) {
      await ddl(db, sql`drop index concurrently if exists ${sql.id(index.name)}`);
    }
    // One statement, so the four columns (and the constraints on them) go together or not at all.
    await ddl(
      db,
      sql`alter table symbols
            drop column if exists broadcast_priority,
            drop column if exists last_broadcast_at,
            drop column if exists data_provider_id,
            drop column if exists is_default_symbol`,
    );
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}
