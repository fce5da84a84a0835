import { type Kysely, sql } from "kysely";

// 2025-01-12: results that one instance computes and every instance reads (the rollback banner's
// evaluation, made by the instance that leads the background work). A missing or old row makes an
// instance compute the result itself, so losing the table (a rollback past it) costs time only.
// Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = '2s'`.execute(db);
  try {
    await sql`create table if not exists symbol_desk_shared_results (
        key text primary key,
        value jsonb not null,
        computed_at timestamptz not null default now(),
        computed_by text not null
      )`.execute(db);
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = '2s'`.execute(db);
  try {
    await sql`drop table if exists symbol_desk_shared_results`.execute(db);
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}
