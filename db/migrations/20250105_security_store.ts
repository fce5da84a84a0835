import { type Kysely, sql } from "kysely";

// 2025-01-05: what security needs from the database, shared by every instance. Sign-in throttle
// buckets (per account and per client address), the API's per-token rate windows (unlogged: a
// counter lost in a crash costs nothing but a fresh minute), security events (sign-ins, failures,
// throttling), setup codes of a first run (hashed), the last request of each staff session (the
// idle timeout), an optional expiry on API tokens. Session ids are kept as their sha256 from
// now on: existing rows are hashed in place, so signed-in staff stay signed in.
//
// Down drops what up added; session ids stay hashed (a hash cannot be turned back into the id),
// so code from before this migration no longer recognises sessions and staff sign in again.
// Dated before 20250108 so that rolling back the seed's migration never takes it along.
// Frozen in time: this file never imports the live schema.

const LOCK_TIMEOUT = "2s";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  try {
    await sql`
      create table if not exists sign_in_throttle (
        key text primary key,
        failures integer not null,
        last_failure_at timestamptz not null,
        blocked_until timestamptz
      )`.execute(db);
    await sql`
      create unlogged table if not exists api_rate_windows (
        token_id uuid primary key,
        window_start timestamptz not null,
        requests integer not null
      )`.execute(db);
    await sql`
      create table if not exists security_events (
        id uuid primary key default gen_random_uuid(),
        kind text not null check (kind in ('sign_in', 'sign_in_failed', 'sign_in_throttled', 'setup')),
        staff_id uuid references staff_users (id) on delete set null,
        email text,
        client_address text,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index concurrently if not exists ix_security_events_created on security_events (created_at
      desc)`.execute(db);
    await sql`
      create table if not exists setup_codes (
        code_hash text primary key,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`alter table staff_sessions add column if not exists last_seen_at timestamptz`.execute(db);
    await sql`alter table staff_sessions add column if not exists id_hashed boolean`.execute(db);
    // Ids of 32 random bytes in base64url are 43 characters; their sha256 in hex is 64.
    await sql`update staff_sessions set id = encode(sha256(convert_to(id, 'UTF8')), 'hex'), id_hashed = true
      where id_hashed is null`.execute(db);
    await sql`alter table api_tokens add column if not exists expires_at timestamptz`.execute(db);
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  try {
    await sql`alter table api_tokens drop column if exists expires_at`.execute(db);
    await sql`alter table staff_sessions drop column if exists id_hashed`.execute(db);
    await sql`alter table staff_sessions drop column if exists last_seen_at`.execute(db);
    await sql`drop table if exists setup_codes`.execute(db);
    await sql`drop index concurrently if exists ix_security_events_created`.execute(db);
    await sql`drop table if exists security_events`.execute(db);
    await sql`drop table if exists api_rate_windows`.execute(db);
    await sql`drop table if exists sign_in_throttle`.execute(db);
  } finally {
    await sql`reset lock_timeout`.execute(db);
  }
}
