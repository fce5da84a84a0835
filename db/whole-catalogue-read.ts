import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "./schema.js";

/**
 * Runs a read that scans the whole catalogue (counts over every symbol and preference, for the
 * banner and the quality figures) with JIT compilation off. Their plans cost enough for PostgreSQL
 * to compile them, and the compilation cost more than it saved: at 100k symbols and 1M
 * preferences, v_symbol_data_quality took 0.85 s of the server's CPU without it and 1.2 to 1.5 s
 * with it, the orphan count 0.89 s and 1.09 s (medians of runs alternated). Set for the read's own
 * transaction only, so it
 * holds behind a pooler in transaction mode; the embedded engine has no JIT and ignores it.
 */
export function readWholeCatalogue<T>(
  db: Kysely<Database>,
  read: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('jit', 'off', true)`.execute(trx);
    return read(trx);
  });
}
