import { type Kysely, sql } from "kysely";

// 2025-01-04: the history behind the quality, performance and migrations panels. Every run of the
// data-quality checks (scheduled, from the console or the CLI) with each check's result, every
// EXPLAIN ANALYZE measurement of the three critical queries with its plan, and every migration
// rehearsal on a scratch database. Only new tables: nothing existing is locked or rewritten.
//
// Dated before 20250108 on purpose: "roll back one step" must keep targeting the seed's migration
// (and the index-only ones after it), never these history tables.
// Frozen in time: this file never imports the live schema.

const LOCK_TIMEOUT = "2s";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  try {
    await sql`
      create table if not exists check_runs (
        id uuid primary key default gen_random_uuid(),
        started_at timestamptz not null default now(),
        duration_ms double precision not null,
        engine_label text not null,
        trigger text not null check (trigger in ('manual', 'schedule', 'cli')),
        actor text not null,
        passed boolean not null,
        pass_count integer not null,
        warn_count integer not null,
        fail_count integer not null,
        error_count integer not null
      )`.execute(db);
    await sql`create index concurrently if not exists ix_check_runs_started on check_runs (started_at desc)`.execute(
      db,
    );

    await sql`
      create table if not exists check_results (
        run_id uuid not null references check_runs (id) on delete cascade,
        check_id text not null,
        -- The run's start, repeated so one check's history is a single index range.
        started_at timestamptz not null,
        title text not null,
        category text not null,
        severity text not null check (severity in ('error', 'warn')),
        status text not null check (status in ('pass', 'warn', 'fail', 'error')),
        offending_count integer not null,
        sample jsonb not null default '[]',
        message text,
        fix_hint text not null,
        duration_ms double precision not null,
        primary key (run_id, check_id)
      )`.execute(db);
    await sql`create index concurrently if not exists ix_check_results_check_started
              on check_results (check_id, started_at desc)`.execute(db);

    await sql`
      create table if not exists query_measurements (
        id uuid primary key default gen_random_uuid(),
        query_id text not null,
        measured_at timestamptz not null default now(),
        engine_label text not null,
        actor text not null,
        runs integer not null,
        execution_median_ms double precision not null,
        execution_p95_ms double precision not null,
        planning_median_ms double precision not null,
        planning_p95_ms double precision not null,
        target_ms double precision not null,
        -- Every run's figures, the parameters used, and the plan of the median run (json, not
        -- jsonb: the raw plan keeps EXPLAIN's own key order, "Node Type" first).
        samples jsonb not null default '[]',
        parameters jsonb not null default '{}',
        plan json not null,
        -- The latest applied migration when measured, so a regression shows next to its cause.
        schema_version text,
        note text
      )`.execute(db);
    await sql`create index concurrently if not exists ix_query_measurements_query_measured
              on query_measurements (query_id, measured_at desc)`.execute(db);

    await sql`
      create table if not exists migration_rehearsals (
        id uuid primary key default gen_random_uuid(),
        migration text not null,
        started_at timestamptz not null default now(),
        actor text not null,
        engine_label text not null,
        method text not null,
        up_ms integer,
        down_ms integer,
        reapply_ms integer,
        checksum_equal boolean,
        passed boolean not null,
        steps jsonb not null default '[]',
        note text
      )`.execute(db);
    await sql`create index concurrently if not exists ix_migration_rehearsals_started
              on migration_rehearsals (started_at desc)`.execute(db);
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  try {
    // History only: nothing else refers to these tables, and the catalogue is untouched.
    await sql`drop table if exists migration_rehearsals`.execute(db);
    await sql`drop table if exists query_measurements`.execute(db);
    await sql`drop table if exists check_results`.execute(db);
    await sql`drop table if exists check_runs`.execute(db);
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}
