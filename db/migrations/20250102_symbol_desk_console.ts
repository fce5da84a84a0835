import { type Kysely, sql } from "kysely";

// Symbol Desk's own tables: staff accounts, their sessions and the audit log of symbol edits,
// plus a version counter on symbols for optimistic concurrency. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = '5s'`.execute(db);
  await sql`
    create table if not exists staff_users (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      display_name text not null,
      role text not null check (role in ('viewer', 'operator', 'admin')),
      password_hash text not null,
      created_at timestamptz not null default now(),
      last_sign_in_at timestamptz
    )`.execute(db);
  await sql`create unique index concurrently if not exists ux_staff_users_email on staff_users (lower(email))`.execute(
    db,
  );
  await sql`
    create table if not exists staff_sessions (
      id text primary key,
      staff_id uuid not null references staff_users (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index concurrently if not exists ix_staff_sessions_staff_id on staff_sessions (staff_id)`.execute(
    db,
  );
  await sql`
    create table if not exists symbol_audit (
      id uuid primary key default gen_random_uuid(),
      staff_id uuid references staff_users (id) on delete set null,
      symbol_id uuid references symbols (id) on delete set null,
      action text not null,
      field text not null,
      before_value text,
      after_value text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index concurrently if not exists ix_symbol_audit_symbol_created on symbol_audit (symbol_id,
    created_at desc)`.execute(db);
  await sql`create index concurrently if not exists ix_symbol_audit_created on symbol_audit (created_at desc)`.execute(
    db,
  );
  // A constant default is stored in the catalog (PostgreSQL 11+): no table rewrite.
  await sql`alter table symbols add column if not exists version integer not null default 1`.execute(db);
  await sql`reset lock_timeout`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = '5s'`.execute(db);
  await sql`alter table symbols drop column if exists version`.execute(db);
  await sql`drop table if exists symbol_audit`.execute(db);
  await sql`drop table if exists staff_sessions`.execute(db);
  await sql`drop table if exists staff_users`.execute(db);
  await sql`reset lock_timeout`.execute(db);
}
