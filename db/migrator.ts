import { type Kysely, sql } from "kysely";
import { Migrator, NO_MIGRATIONS } from "kysely/migration";
import type { Database, MigrationRun } from "./schema.js";
import { sessionDbFor } from "./client.js";
import { MIGRATIONS, migrationProvider } from "./migrations/index.js";
import { type StepPart, timedParts } from "./migrations/step-parts.js";
import { SCHEMA_CHANNEL } from "./notifications.js";

// One step at a time through Kysely's Migrator, each step recorded in `migration_runs`
// (which migration, direction, start, duration, actor, outcome).
//
// Transactions are disabled for the whole run: 20250108 builds indexes CONCURRENTLY, which
// PostgreSQL refuses inside a transaction. Each migration is therefore written to be re-runnable,
// and a run that dies midway is visible here as an interrupted run.

export type MigrationState = "applied" | "pending" | "interrupted";

export interface MigrationStatus {
  name: string;
  state: MigrationState;
  appliedAt: Date | null;
  lastRun: {
    direction: "up" | "down";
    outcome: string;
    startedAt: Date;
    durationMs: number | null;
    actor: string;
  } | null;
}

export interface StepResult {
  migration: string;
  direction: "up" | "down";
  durationMs: number;
  /** Where the time went, by part of the work (step-parts.ts). */
  parts: StepPart[];
}

export class MigrationFailedError extends Error {
  constructor(
    readonly migration: string,
    readonly direction: "up" | "down",
    cause: unknown,
  ) {
    super(`Migration ${migration} (${direction}) failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "MigrationFailedError";
  }
}

export const migrationNames = (): string[] => Object.keys(MIGRATIONS).sort();

/** The seed's migration: every migration named before it is one of the console's own. */
export const SEED_MIGRATION = "20250108_data_driven_symbols";

/**
 * The console's own migrations (myTrader's baseline, staff and sessions, API tokens, the audit
 * log, the security store, staff management, broadcaster control: everything dated before the
 * seed's migration). Rolling one back drops who may sign in and what they did, and the next start
 * offers first-run setup again, so it is never a routine step: it takes `force`.
 */
export const isConsoleMigration = (name: string): boolean => name < SEED_MIGRATION;

export const CONSOLE_ROLLBACK_CONSEQUENCES =
  "Staff accounts, sessions, API tokens and the audit log go with it, " +
  "" +
  "and the next start offers first-run setup to whoever comes first.";

export class ConsoleMigrationRollbackError extends Error {
  constructor(readonly migration: string) {
    super(
      `${migration} is one of the console's own migrations and is rolled back only when forced. ` +
        `${CONSOLE_ROLLBACK_CONSEQUENCES}`,
    );
    this.name = "ConsoleMigrationRollbackError";
  }
}

async function ensureRunTable(db: Kysely<Database>): Promise<void> {
  await sql`
    create table if not exists migration_runs (
      id uuid primary key default gen_random_uuid(),
      migration text not null,
      direction text not null check (direction in ('up', 'down')),
      actor text not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      duration_ms integer,
      outcome text not null default 'running' check (outcome in ('running', 'succeeded', 'failed')),
      error text
    )`.execute(db);
}

// Symbol Desk's own tables are dated before 20250108, so that rolling back the seed's migration
// never takes console data with it; a console migration written later therefore sorts before
// migrations an existing install has already applied. Kysely applies such a migration when it
// is allowed to run them unordered, and rolls back in the order they were executed; the step
// below keeps that order equal to name order (`keepNameOrder`), so every rollback is by name.
function makeMigrator(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: migrationProvider, disableTransactions: true, allowUnorderedMigrations: true });
}

/**
 * A migration applied after later-named ones gets the execution time of the one named just before
 * it (ties sort by name in Kysely), so that Kysely's rollback order stays the name order.
 */
async function keepNameOrder(db: Kysely<Database>, migration: string): Promise<void> {
  const { rows } = await sql<{ name: string; timestamp: string }>`
    select name, timestamp from kysely_migration order by name`.execute(db);
  const index = rows.findIndex((row) => row.name === migration);
  if (index === -1 || index === rows.length - 1) return;
  const anchor = rows[index - 1] ?? rows[index + 1];
  const earliestAfter = rows.slice(index + 1).reduce((min, row) => (row.timestamp < min ? row.timestamp : min), "~");
  const timestamp = anchor && anchor.timestamp < earliestAfter ? anchor.timestamp : earliestAfter;
  await sql`update kysely_migration set timestamp = ${timestamp} where name = ${migration}`.execute(db);
}

/**
 * The known migrations that are applied, with Kysely's execution time of each. Read straight from
 * its table: Kysely's own getMigrations first introspects every column of every table to learn
 * whether that table exists, which cost /migrations tens of milliseconds on each view.
 */
async function appliedNames(db: Kysely<Database>): Promise<Map<string, Date>> {
  const { rows } = await sql<{ exists: boolean }>`select to_regclass('kysely_migration') is not null as exists`.execute(
    db,
  );
  if (!rows[0]?.exists) return new Map();
  const executed = await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration`.execute(
    db,
  );
  const known = new Set(migrationNames());
  return new Map(executed.rows.filter((row) => known.has(row.name)).map((row) => [row.name, new Date(row.timestamp)]));
}

async function runStep(
  given: Kysely<Database>,
  direction: "up" | "down",
  actor: string,
  force = false,
): Promise<StepResult | null> {
  // The migrator's advisory lock and the migrations' `set lock_timeout` are session state: never
  // through a transaction pooler, always on a direct connection.
  const db = sessionDbFor(given);
  await ensureRunTable(db);
  const applied = await appliedNames(db);
  const names = migrationNames();
  const migration =
    direction === "up" ? names.find((n) => !applied.has(n)) : names.filter((n) => applied.has(n)).at(-1);
  if (!migration) return null;
  if (direction === "down" && !force && isConsoleMigration(migration))
    throw new ConsoleMigrationRollbackError(migration);

  const run = await db
    .insertInto("migration_runs")
    .values({ migration, direction, actor })
    .returning("id")
    .executeTakeFirstOrThrow();
  const started = performance.now();
  const migrator = makeMigrator(db);
  const {
    value: { error, results },
    parts,
  } = await timedParts(() => (direction === "up" ? migrator.migrateUp() : migrator.migrateDown()));
  // Kysely ran nothing although a step was due: fail rather than let a caller loop on it.
  const ran = error ?? (results?.length ? null : new Error(`Kysely's migrator did not run ${migration}`));
  if (!ran && direction === "up") {
    await keepNameOrder(db, migration);
    parts.push(...(await vacuumRewritten(db, migration)));
  }
  const durationMs = Math.round(performance.now() - started);
  await db
    .updateTable("migration_runs")
    .set({
      finished_at: new Date(),
      duration_ms: durationMs,
      outcome: ran ? "failed" : "succeeded",
      error: ran ? (ran instanceof Error ? ran.message : String(ran)) : null,
    })
    .where("id", "=", run.id)
    .execute();
  // Whatever the outcome, caches of every instance drop what the schema change may have altered.
  await sql`select pg_notify(${SCHEMA_CHANNEL}, ${migration})`.execute(db);
  if (ran) throw new MigrationFailedError(migration, direction, ran);
  return { migration, direction, durationMs, parts };
}

/**
 * Tables a step's `up` rewrites whole: re-applied, 20250108 restores every symbol's values from its
 * backup. That clears the table's visibility map, so index-only scans (the counts of /providers,
 * the quality figures) read the heap, at about three times their cost, until autovacuum's next
 * visit, up to a minute later. The migrator vacuums them as soon as the step has committed.
 */
const REWRITTEN_BY_UP: Record<string, readonly string[]> = { "20250108_data_driven_symbols": ["symbols"] };

async function vacuumRewritten(db: Kysely<Database>, migration: string): Promise<StepPart[]> {
  const parts: StepPart[] = [];
  for (const table of REWRITTEN_BY_UP[migration] ?? []) {
    const started = performance.now();
    try {
      await sql`vacuum ${sql.table(table)}`.execute(db);
      parts.push({ part: `vacuum of ${table}`, ms: Math.round(performance.now() - started), statements: 1 });
    } catch (error) {
      // The step itself has succeeded: autovacuum will do it later.
      console.error(`[migrate] ${table} could not be vacuumed after ${migration}:`, error);
    }
  }
  return parts;
}

/** Applies pending migrations up to and including `target` (all of them by default). */
export async function migrateUp(
  db: Kysely<Database>,
  options: { actor: string; target?: string; steps?: number },
): Promise<StepResult[]> {
  if (options.target && !MIGRATIONS[options.target]) throw new Error(`Unknown migration: ${options.target}`);
  const results: StepResult[] = [];
  for (;;) {
    if (options.steps !== undefined && results.length >= options.steps) break;
    const applied = await appliedNames(db);
    if (options.target && applied.has(options.target)) break;
    const step = await runStep(db, "up", options.actor);
    if (!step) break;
    results.push(step);
  }
  return results;
}

/**
 * Rolls back the latest `steps` applied migrations (one by default). Reaching one of the console's
 * own migrations throws ConsoleMigrationRollbackError, before it is touched, unless `force`.
 */
export async function migrateDown(
  db: Kysely<Database>,
  options: { actor: string; steps?: number; force?: boolean },
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (let i = 0; i < (options.steps ?? 1); i++) {
    const step = await runStep(db, "down", options.actor, options.force);
    if (!step) break;
    results.push(step);
  }
  return results;
}

/**
 * Rolls back every applied migration from the newest down to and including `migration`, newest
 * first (Kysely's order), so that `migration` ends up pending.
 */
export async function rollbackThrough(
  db: Kysely<Database>,
  options: { actor: string; migration: string; force?: boolean },
): Promise<StepResult[]> {
  if (!MIGRATIONS[options.migration]) throw new Error(`Unknown migration: ${options.migration}`);
  const applied = await appliedNames(db);
  if (!applied.has(options.migration)) return [];
  const steps = [...applied.keys()].filter((name) => name >= options.migration).length;
  return migrateDown(db, { actor: options.actor, steps, force: options.force });
}

/**
 * Kysely's migrator holds this session-level advisory lock (PostgresAdapter's LOCK_ID) for the
 * whole of each step, so any session can see a step in progress in pg_locks, and a session that
 * died mid-step leaves no false "running" behind (unlike `migration_runs`).
 */
export const KYSELY_MIGRATION_LOCK_ID = "3853314791062309107";

/** Whether a migration step is running right now, in this process or any other. */
export async function migrationInProgress(db: Kysely<Database>): Promise<boolean> {
  // A bigint advisory key shows as its high half in classid and its low half in objid.
  const { rows } = await sql<{ running: boolean }>`
    select exists (
      select 1 from pg_locks
      where locktype = 'advisory' and granted and objsubid = 1
        and database = (select oid from pg_database where datname = current_database())
        and ((classid::int8 << 32) | objid::int8) = ${KYSELY_MIGRATION_LOCK_ID}::int8
    ) as running`.execute(db);
  return rows[0]?.running === true;
}

/** Recorded runs, newest first (the latest `limit` of them); none before the first run has made the table. */
export async function recordedRuns(db: Kysely<Database>, limit?: number): Promise<MigrationRun[]> {
  const { rows } = await sql<{ exists: boolean }>`select to_regclass('migration_runs') is not null as exists`.execute(
    db,
  );
  if (!rows[0]?.exists) return [];
  const query = db.selectFrom("migration_runs").selectAll().orderBy("started_at", "desc");
  return (limit === undefined ? query : query.limit(limit)).execute();
}

const appliedBy = (runs: MigrationRun[], name: string) =>
  runs.find((run) => run.migration === name && run.direction === "up" && run.outcome === "succeeded");

export async function migrationStatus(db: Kysely<Database>): Promise<MigrationStatus[]> {
  const applied = await appliedNames(db);
  const runs = await recordedRuns(db);
  return migrationNames().map((name) => {
    const last = runs.find((r) => r.migration === name) ?? null;
    const interrupted = last?.outcome === "running" || last?.outcome === "failed";
    return {
      name,
      state: interrupted ? "interrupted" : applied.has(name) ? "applied" : "pending",
      // Kysely's execution time of a migration applied out of order is moved (keepNameOrder);
      // the run that applied it says when that really was.
      appliedAt: applied.has(name) ? (appliedBy(runs, name)?.finished_at ?? applied.get(name) ?? null) : null,
      lastRun: last && {
        direction: last.direction,
        outcome: last.outcome,
        startedAt: last.started_at,
        durationMs: last.duration_ms,
        actor: last.actor,
      },
    };
  });
}

/**
 * Finishes what an interrupted or failed run left half done. Every migration here is
 * re-runnable, so the repair re-runs the direction that was under way: an interrupted `up` runs
 * `up` again; an interrupted `down` of a still-recorded migration runs its `down` again
 * (the values it saved first are kept and come back on the next `up`).
 */
export async function repairInterrupted(db: Kysely<Database>, actor: string): Promise<StepResult[]> {
  const repaired: StepResult[] = [];
  for (const status of (await migrationStatus(db)).filter((s) => s.state === "interrupted")) {
    const direction = status.lastRun?.direction ?? "up";
    const applied = status.appliedAt !== null;
    // Kysely only runs `up` of a pending and `down` of an applied migration: which is what an
    // interrupted run of either direction leaves behind.
    if ((direction === "up" && applied) || (direction === "down" && !applied)) {
      await db
        .insertInto("migration_runs")
        .values({
          migration: status.name,
          direction,
          actor,
          finished_at: new Date(),
          duration_ms: 0,
          outcome: "succeeded",
        })
        .execute();
      continue;
    }
    const step =
      direction === "up"
        ? (await migrateUp(db, { actor, target: status.name }))[0]
        : // Finishes a rollback someone already started (forced, if it is a console migration).
          (await migrateDown(db, { actor, force: true }))[0];
    if (step) repaired.push(step);
  }
  return repaired;
}

export { NO_MIGRATIONS };
