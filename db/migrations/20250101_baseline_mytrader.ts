import { type Kysely, sql } from "kysely";

// The tables myTrader already had before the data-driven symbols migration of 2025-01-08.
// Frozen in time: this file never imports the live schema.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table if not exists asset_classes (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table if not exists markets (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null,
      asset_class_id uuid not null references asset_classes (id),
      websocket_url text,
      timezone text not null default 'UTC',
      is_active boolean not null default true,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table if not exists data_providers (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null,
      market_id uuid not null references markets (id),
      provider_type text not null,
      connection_status text not null default 'disconnected'
        check (connection_status in ('connected', 'degraded', 'disconnected')),
      is_primary boolean not null default false,
      is_active boolean not null default true,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create unique index concurrently if not exists ux_data_providers_primary_per_market
      on data_providers (market_id) where is_primary`.execute(db);
  await sql`
    create table if not exists symbols (
      id uuid primary key default gen_random_uuid(),
      ticker text not null,
      display text not null,
      full_name text,
      asset_class_id uuid not null references asset_classes (id),
      market_id uuid not null references markets (id),
      current_price numeric(24, 10),
      price_change_24h numeric(12, 4),
      is_active boolean not null default true,
      is_tracked boolean not null default true,
      display_order integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint uq_symbols_market_ticker unique (market_id, ticker)
    )`.execute(db);
  await sql`
    create table if not exists users (
      id uuid primary key default gen_random_uuid(),
      email text not null unique,
      display_name text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table if not exists user_dashboard_preferences (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      symbol_id uuid not null references symbols (id) on delete cascade,
      display_order integer not null default 0,
      is_pinned boolean not null default false,
      is_visible boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint uq_udp_user_symbol unique (user_id, symbol_id)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "user_dashboard_preferences",
    "users",
    "symbols",
    "data_providers",
    "markets",
    "asset_classes",
  ]) {
    await sql`drop table if exists ${sql.id(table)}`.execute(db);
  }
}
