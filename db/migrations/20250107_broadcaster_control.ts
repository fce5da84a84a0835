import { type Kysely, sql } from "kysely";

// 2025-01-07: what the WebSocket broadcaster shares through the database, so that it holds across
// restarts and across processes (the console and a broadcaster run alone with `npm run
// broadcaster` are different processes):
// - broadcaster_control: one row, paused or not, who changed it and when;
// - broadcaster_control_events: every pause and resume, by whom and why (the audit trail);
// - broadcaster_instances: each running broadcaster's figures, written once per cycle, which the
//   console's /broadcast page and the readiness criteria read.
// Only new tables. Dated before 20250108 on purpose, like the console's other tables: rolling back
// the seed's migration never takes them with it. Frozen in time: never imports the live schema.

const LOCK_TIMEOUT = "2s";
const STATEMENT_TIMEOUT = "30s";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  await sql`set statement_timeout = ${sql.lit(STATEMENT_TIMEOUT)}`.execute(db);
  try {
    await sql`
      create table if not exists broadcaster_control (
        id boolean primary key default true check (id),
        paused boolean not null default false,
        changed_at timestamptz not null default now(),
        changed_by_staff_id uuid references staff_users (id) on delete set null
      )`.execute(db);
    await sql`insert into broadcaster_control (id) values (true) on conflict (id) do nothing`.execute(db);
    await sql`
      create table if not exists broadcaster_control_events (
        id uuid primary key default gen_random_uuid(),
        paused boolean not null,
        reason text,
        staff_id uuid references staff_users (id) on delete set null,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index concurrently if not exists ix_broadcaster_control_events_created
      on broadcaster_control_events (created_at desc)`.execute(db);
    await sql`
      create table if not exists broadcaster_instances (
        instance_id text primary key,
        host text not null,
        started_at timestamptz not null default now(),
        last_cycle_at timestamptz,
        interval_ms integer not null,
        stats jsonb not null default '{}'::jsonb
      )`.execute(db);
  } finally {
    await sql`reset lock_timeout`.execute(db);
    await sql`reset statement_timeout`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  try {
    await sql`drop table if exists broadcaster_instances`.execute(db);
    await sql`drop table if exists broadcaster_control_events`.execute(db);
    await sql`drop table if exists broadcaster_control`.execute(db);
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}
