import { type Kysely, sql } from "kysely";
import { schemaMissing } from "../pg-errors.js";
import type { Database } from "../schema.js";
import type { DefaultSymbol } from "./default-symbols.js";

// While 20250108 is rolled back its four columns (broadcast_priority, last_broadcast_at,
// data_provider_id, is_default_symbol) are gone, and its `down` has saved their values per symbol
// in `symbols_20250108_backup`. The seed tells the application to fall back to hard-coded symbol
// lists then; this is the data-driven version of that fallback: the defaults as they were when
// the rollback saved them, in their list order, and every other read on the columns left in place.

/** The table 20250108's `down` fills and its `up` drops after restoring the values. */
export const BACKUP_TABLE_20250108 = "symbols_20250108_backup";

interface BackupTable {
  symbol_id: string;
  broadcast_priority: number | null;
  last_broadcast_at: Date | null;
  data_provider_id: string | null;
  is_default_symbol: boolean | null;
  saved_at: Date;
}

const withBackup = (db: Kysely<Database>) => db.withTables<{ symbols_20250108_backup: BackupTable }>();

/** A read served while 20250108 is rolled back; `since` is when the rollback saved the values. */
export interface RolledBack {
  since: Date | null;
}

/** The defaults the rollback saved, active ones only, in list order: the seed's default query on the backup. */
export function backedUpDefaultSymbols(db: Kysely<Database>): Promise<DefaultSymbol[]> {
  return withBackup(db)
    .selectFrom("symbols as s")
    .innerJoin("symbols_20250108_backup as b", "b.symbol_id", "s.id")
    .select(["s.id", "s.ticker", "s.display", "s.current_price", "s.price_change_24h"])
    .where("b.is_default_symbol", "=", true)
    .where("s.is_active", "=", true)
    .orderBy("s.display_order")
    .execute();
}

/** When the rollback saved the values (one statement saves every row, so any row tells). */
export async function rollbackSavedAt(db: Kysely<Database>): Promise<Date | null> {
  const row = await withBackup(db).selectFrom("symbols_20250108_backup").select("saved_at").limit(1).executeTakeFirst();
  return row ? new Date(row.saved_at) : null;
}

/** Whether the four columns are in place (a catalogue look-up: safe inside a transaction). */
export async function columnsOf20250108Present(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`
    select exists (
      select 1 from pg_attribute
      where attrelid = to_regclass('symbols') and attname = 'is_default_symbol' and not attisdropped
    ) as present`.execute(db);
  return rows[0]?.present ?? false;
}

/**
 * Runs `current`; while 20250108 is rolled back, `rolledBack` instead, and says since when. Outside
 * a transaction the current read is simply tried first (its failure on a missing column costs no
 * more than parsing it); inside one a failed statement would abort the caller's transaction, so
 * the catalogue is asked first, with the schema of symbols held still.
 */
export async function readThroughRollback<T>(
  db: Kysely<Database>,
  current: (db: Kysely<Database>) => Promise<T>,
  rolledBack: (db: Kysely<Database>) => Promise<T>,
): Promise<{ value: T; rolledBack: RolledBack | null }> {
  if (db.isTransaction) {
    // Holding a lock on symbols from here on, the catalogue's answer stays true for the whole
    // transaction: a step of 20250108 that drops or adds the columns waits for its end instead of
    // landing between the look-up and the read (any read of symbols takes this lock anyway).
    await sql`lock table symbols in access share mode`.execute(db);
    return (await columnsOf20250108Present(db))
      ? { value: await current(db), rolledBack: null }
      : readRolledBack(db, rolledBack);
  }
  try {
    return { value: await current(db), rolledBack: null };
  } catch (error) {
    if (schemaMissing(error) !== "column") throw error;
  }
  try {
    return await readRolledBack(db, rolledBack);
  } catch (error) {
    // A re-apply drops the backup only once the columns are back with their values (restored in
    // the transaction that adds them): it finished between the two reads, and the current one works.
    if (schemaMissing(error) !== "table-or-function") throw error;
    return { value: await current(db), rolledBack: null };
  }
}

async function readRolledBack<T>(
  db: Kysely<Database>,
  rolledBack: (db: Kysely<Database>) => Promise<T>,
): Promise<{ value: T; rolledBack: RolledBack }> {
  const value = await rolledBack(db);
  return { value, rolledBack: { since: await rollbackSavedAt(db) } };
}
