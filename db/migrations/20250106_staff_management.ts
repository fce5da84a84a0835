import { type Kysely, sql } from "kysely";

// 2025-01-06: staff management from the console.
// - staff_users gains `disabled_at` (a disabled account signs in nowhere), `created_by` (the admin
//   who invited it) and `password_set_at` (null while an invitation is still unanswered; existing
//   accounts chose theirs when they were made);
// - staff_sessions gains `user_agent`, so /account can name the browser of each session;
// - staff_password_links: one-time invitation and reset links (only the sha256 of the secret);
// - staff_audit: every change to a staff account, who made it, before and after.
//
// Down keeps what it drops: the new columns and both tables' rows are saved as JSON into
// `staff_management_saved` and come back on the next up. A disabled account's password hash is
// prefixed while rolled back, so code from before this migration cannot let it sign in either.
// Dated before 20250108, like the console's other tables. Frozen in time: never imports the live schema.

const LOCK_TIMEOUT = "2s";
const STATEMENT_TIMEOUT = "30s";
const SAVED = "staff_management_saved";
const DISABLED_PREFIX = "disabled:";

async function withTimeouts(db: Kysely<any>, work: () => Promise<void>): Promise<void> {
  await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(db);
  await sql`set statement_timeout = ${sql.lit(STATEMENT_TIMEOUT)}`.execute(db);
  try {
    await work();
  } finally {
    await sql`reset lock_timeout`.execute(db);
    await sql`reset statement_timeout`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await withTimeouts(db, async () => {
    await sql`alter table staff_users add column if not exists disabled_at timestamptz`.execute(db);
    await sql`alter table staff_users add column if not exists password_set_at timestamptz`.execute(db);
    await sql`alter table staff_users add column if not exists created_by uuid`.execute(db);
    // The pg_constraint look-up is what makes these re-runnable (ADD CONSTRAINT has no IF NOT
    // EXISTS); the comments tell squawk so.
    const found = await sql<{ convalidated: boolean }>`select convalidated from pg_constraint
      where conname = 'fk_staff_users_created_by' and conrelid = 'staff_users'::regclass`.execute(db);
    if (found.rows.length === 0) {
      await sql`-- squawk-ignore prefer-robust-stmts
alter table staff_users add constraint fk_staff_users_created_by
        foreign key (created_by) references staff_users (id) on delete set null not valid`.execute(db);
    }
    if (!found.rows[0]?.convalidated) {
      await sql`-- squawk-ignore prefer-robust-stmts
alter table staff_users validate constraint fk_staff_users_created_by`.execute(db);
    }
    await sql`alter table staff_sessions add column if not exists user_agent text`.execute(db);
    await sql`
      create table if not exists staff_password_links (
        id uuid primary key default gen_random_uuid(),
        staff_id uuid not null references staff_users (id) on delete cascade,
        purpose text not null check (purpose in ('invite', 'reset')),
        token_hash text not null unique,
        created_by uuid references staff_users (id) on delete set null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        used_at timestamptz
      )`.execute(db);
    await sql`create index concurrently if not exists ix_staff_password_links_staff
      on staff_password_links (staff_id)`.execute(db);
    await sql`
      create table if not exists staff_audit (
        id uuid primary key default gen_random_uuid(),
        actor_id uuid references staff_users (id) on delete set null,
        staff_id uuid references staff_users (id) on delete set null,
        staff_email text not null,
        action text not null,
        before_value text,
        after_value text,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index concurrently if not exists ix_staff_audit_created
      on staff_audit (created_at desc)`.execute(db);

    const saved = await sql`select to_regclass(${SAVED}) is not null as present`.execute(db);
    if ((saved.rows[0] as { present: boolean }).present) {
      await restoreSaved(db);
    } else {
      await sql`update staff_users set password_set_at = created_at where password_set_at is null`.execute(db);
    }
  });
}

async function restoreSaved(db: Kysely<any>): Promise<void> {
  const saved = sql.id(SAVED);
  await sql`update staff_users u set disabled_at = (r->>'disabled_at')::timestamptz,
      password_set_at = (r->>'password_set_at')::timestamptz, created_by = (r->>'created_by')::uuid
    from ${saved} s, jsonb_array_elements(s.rows) r
    where s.what = 'staff_users' and u.id = (r->>'id')::uuid`.execute(db);
  // Accounts made while rolled back had chosen their password.
  await sql`update staff_users set password_set_at = created_at where password_set_at is null
    and id not in (select (r->>'id')::uuid from ${saved} s, jsonb_array_elements(s.rows) r
      where s.what = 'staff_users')`.execute(db);
  await sql`update staff_users set password_hash = substr(password_hash, ${DISABLED_PREFIX.length + 1})
    where password_hash like ${DISABLED_PREFIX + "%"}`.execute(db);
  await sql`update staff_sessions x set user_agent = r->>'user_agent'
    from ${saved} s, jsonb_array_elements(s.rows) r
    where s.what = 'staff_sessions' and x.id = r->>'id'`.execute(db);
  for (const table of ["staff_password_links", "staff_audit"]) {
    await sql`insert into ${sql.id(table)}
      select p.* from ${saved} s, jsonb_populate_recordset(null::${sql.id(table)}, s.rows) p
      where s.what = ${table}
        and (p.staff_id is null or exists (select 1 from staff_users u where u.id = p.staff_id))
      on conflict do nothing`.execute(db);
  }
  await sql`-- squawk-ignore ban-drop-table
drop table if exists ${saved}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await withTimeouts(db, async () => {
    await sql`create table if not exists ${sql.id(SAVED)} (what text primary key, rows jsonb not null)`.execute(db);
    const save = (what: string, select: ReturnType<typeof sql>) =>
      sql`insert into ${sql.id(SAVED)} (what, rows)
        select ${what}, coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb) from (${select}) t
        on conflict (what) do update set rows = excluded.rows`.execute(db);
    await save("staff_users", sql`select id, disabled_at, password_set_at, created_by from staff_users`);
    await save("staff_sessions", sql`select id, user_agent from staff_sessions where user_agent is not null`);
    await save("staff_password_links", sql`select * from staff_password_links`);
    await save("staff_audit", sql`select * from staff_audit`);
    await sql`update staff_users set password_hash = ${DISABLED_PREFIX} || password_hash
      where disabled_at is not null and password_hash not like ${DISABLED_PREFIX + "%"}`.execute(db);
    // Their sessions were ended when they were disabled; none may outlive the rollback.
    await sql`delete from staff_sessions where staff_id in (select id from staff_users where disabled_at is not
      null)`.execute(db);
    await sql`drop index concurrently if exists ix_staff_audit_created`.execute(db);
    await sql`drop table if exists staff_audit`.execute(db);
    await sql`drop index concurrently if exists ix_staff_password_links_staff`.execute(db);
    await sql`drop table if exists staff_password_links`.execute(db);
    await sql`alter table staff_sessions drop column if exists user_agent`.execute(db);
    await sql`alter table staff_users drop constraint if exists fk_staff_users_created_by`.execute(db);
    await sql`alter table staff_users drop column if exists created_by`.execute(db);
    await sql`alter table staff_users drop column if exists password_set_at`.execute(db);
    await sql`alter table staff_users drop column if exists disabled_at`.execute(db);
  });
}
