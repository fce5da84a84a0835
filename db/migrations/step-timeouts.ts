import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";
import { withPartTimer } from "./step-parts.js";

// Every migration step, up or down, runs under a statement_timeout and a lock_timeout set here, so
// a stuck step ends with an error (recorded in migration_runs) instead of holding its locks or
// its session for ever. Set around the migration rather than inside it: the migration files are
// frozen in time, and what they send is unchanged. A migration that sets a tighter lock_timeout
// of its own (most do, with retries) still has it while its statements run; its closing
// `reset lock_timeout` falls back to the server's default only after its last statement, and the
// wrapper resets both once the step is over. `npm run lint:migrations` lints the wrapped steps, so
// squawk sees these SETs in front of each step's statements.
//
// Budgets: steps that build indexes (CONCURRENTLY) over the catalogue or the preferences need
// minutes at 1M rows (20250111's covering index, 20250108's six indexes: about a minute each on a
// busy 2-core machine); every other step is catalogue-only or touches small tables, and a minute
// is ample. PGlite accepts statement_timeout but never fires it (docs/decisions/two-engines.md).

export interface StepTimeouts {
  /** statement_timeout for each statement of the step. */
  statement: string;
  /** lock_timeout for each statement that does not set its own. */
  lock: string;
}

const INDEX_BUILDS: StepTimeouts = { statement: "10min", lock: "5s" };
const SHORT: StepTimeouts = { statement: "1min", lock: "5s" };

/** The steps that build indexes on tables that grow with the catalogue or its users. */
const BUILDS_INDEXES = new Set([
  "20250102_symbol_desk_console",
  "20250103_api_tokens",
  "20250104_quality_history",
  "20250105_security_store",
  "20250108_data_driven_symbols",
  "20250109_console_indexes",
  "20250111_covering_user_order_index",
  "20250115_broadcast_stamp_indexes",
  "20250116_users_natural_order",
  "20250118_market_provider_counts",
  "20250119_symbols_id_hash",
]);

export const stepTimeouts = (migration: string): StepTimeouts => (BUILDS_INDEXES.has(migration) ? INDEX_BUILDS : SHORT);

function bounded(name: string, run: (db: Kysely<any>) => Promise<void>) {
  const timeouts = stepTimeouts(name);
  return async (db: Kysely<any>) => {
    await sql`set statement_timeout = ${sql.lit(timeouts.statement)}`.execute(db);
    await sql`set lock_timeout = ${sql.lit(timeouts.lock)}`.execute(db);
    try {
      await run(withPartTimer(db));
    } finally {
      await sql`reset statement_timeout`.execute(db);
      await sql`reset lock_timeout`.execute(db);
    }
  };
}

/** The migration with its step timeouts set around `up` and `down`. */
export function withStepTimeouts(name: string, migration: Migration): Migration {
  return { up: bounded(name, migration.up), ...(migration.down && { down: bounded(name, migration.down) }) };
}
