import { type Kysely, type RawBuilder, sql } from "kysely";

// 2025-01-15: make the broadcaster's stamp (`update symbols set last_broadcast_at = … where id =
// any(…)`, 100 rows a second) a HOT update. An UPDATE is HOT only when no index names a column it
// changes; otherwise every row version gets a new entry in each of the table's ~20 indexes.
// Measured at 100k symbols (docs/broadcaster.md): with the seed's indexes a cycle wrote ~40x the
// WAL of a HOT one and every index grew. Three things stood in the way:
// - `ix_symbols_broadcast_queue` and `ix_symbols_market_broadcast_queue` ordered by
//   last_broadcast_at: they keep their names and predicates but end at broadcast_priority, so the
//   broadcast query reads one priority group in order and sorts it (an incremental sort);
// - `ix_symbols_console_last_broadcast` (the console's "last broadcast" sort) goes: that sort
//   reads the table instead;
// - `trg_symbols_touch_updated_at` set updated_at (indexed) on every update, and
//   `trg_symbols_announce_default_update` told every instance to drop its cached defaults once a
//   second. Both now ignore an update that changes nothing but last_broadcast_at.
// Indexes are rebuilt beside the old ones CONCURRENTLY and take their names; triggers are replaced
// under a short lock_timeout. Every step checks what is there, so a killed run is finished by
// running it again; `down` restores the 20250108/20250109/20250110 definitions the same way.
// Frozen in time: never imports the live schema.

const LOCK_TIMEOUT = "2s";
const LOCK_ATTEMPTS = 6;

const QUEUE_PREDICATE = "where is_active and is_tracked";
const QUEUE_INDEXES = [
  {
    name: "ix_symbols_broadcast_queue",
    hot: `symbols (broadcast_priority desc) ${QUEUE_PREDICATE}`,
    seed: `symbols (broadcast_priority desc, last_broadcast_at asc nulls first) ${QUEUE_PREDICATE}`,
  },
  {
    name: "ix_symbols_market_broadcast_queue",
    hot: `symbols (market_id, broadcast_priority desc) ${QUEUE_PREDICATE}`,
    seed: `symbols (market_id, broadcast_priority desc, last_broadcast_at asc nulls first) ${QUEUE_PREDICATE}`,
  },
];
const CONSOLE_INDEX = {
  name: "ix_symbols_console_last_broadcast",
  definition: "symbols ((coalesce(last_broadcast_at, '-infinity'::timestamptz)), id)",
};

/** Everything but the stamp: compared as jsonb so a column added later counts without a new trigger. */
const CHANGED_BESIDES_STAMP =
  "(to_jsonb(old) - 'last_broadcast_at') is distinct from (to_jsonb(new) - 'last_broadcast_at')";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

async function indexState(db: Kysely<any>, name: string): Promise<{ valid: boolean; stamped: boolean } | null> {
  const { rows } = await sql<{ valid: boolean; stamped: boolean }>`
    select i.indisvalid as valid, pg_get_indexdef(i.indexrelid) like '%last_broadcast_at%' as stamped
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where c.relname = ${name} and c.relnamespace = current_schema()::regnamespace`.execute(db);
  return rows[0] ?? null;
}

/** Gives `name` the definition `definition`, keeping an index under that name throughout. */
async function replaceUnderSameName(db: Kysely<any>, name: string, definition: string, stamped: boolean) {
  const temporary = `${name}_next`;
  const current = await indexState(db, name);
  if (current?.valid && current.stamped === stamped) {
    await ddl(db, sql`drop index concurrently if exists ${sql.id(temporary)}`);
    return;
  }
  const next = await indexState(db, temporary);
  if (next && !next.valid) await ddl(db, sql`drop index concurrently if exists ${sql.id(temporary)}`);
  if (!next?.valid) {
    await ddl(db, sql`create index concurrently if not exists ${sql.id(temporary)} on ${sql.raw(definition)}`);
  }
  await ddl(db, sql`drop index concurrently if exists ${sql.id(name)}`);
  await ddl(db, sql`alter index if exists ${sql.id(temporary)} rename to ${sql.id(name)}`);
}

async function replaceTriggers(db: Kysely<any>, stampAware: boolean): Promise<void> {
  const extra = stampAware ? ` and ${CHANGED_BESIDES_STAMP}` : "";
  const touchWhen = stampAware ? `when (${CHANGED_BESIDES_STAMP})` : "";
  await ddl(
    db,
    sql`create or replace trigger trg_symbols_touch_updated_at
        before update on symbols for each row ${sql.raw(touchWhen)}
        execute function symbols_touch_updated_at()`,
  );
  await ddl(
    db,
    sql`create or replace trigger trg_symbols_announce_default_update
        after update on symbols for each row
        when ((old.is_default_symbol or new.is_default_symbol)${sql.raw(extra)})
        execute function symbols_announce_default_change()`,
  );
}

async function withTimeouts(db: Kysely<any>, work: () => Promise<void>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  // Index builds on a large catalogue take minutes; only the lock waits are kept short.
  await sql`set statement_timeout = '30min'`.execute(db);
  try {
    await work();
  } finally {
    await sql`reset lock_timeout`.execute(db);
    await sql`reset statement_timeout`.execute(db);
  }
}

export const up = (db: Kysely<any>) =>
  withTimeouts(db, async () => {
    await replaceTriggers(db, true);
    for (const index of QUEUE_INDEXES) await replaceUnderSameName(db, index.name, index.hot, false);
    await ddl(db, sql`drop index concurrently if exists ${sql.id(CONSOLE_INDEX.name)}`);
  });

export const down = (db: Kysely<any>) =>
  withTimeouts(db, async () => {
    const leftover = await indexState(db, CONSOLE_INDEX.name);
    if (leftover && !leftover.valid)
      await ddl(db, sql`drop index concurrently if exists ${sql.id(CONSOLE_INDEX.name)}`);
    await ddl(
      db,
      sql`create index concurrently if not exists ${sql.id(CONSOLE_INDEX.name)} on
        ${sql.raw(CONSOLE_INDEX.definition)}`,
    );
    for (const index of QUEUE_INDEXES) await replaceUnderSameName(db, index.name, index.seed, true);
    await replaceTriggers(db, false);
  });
