import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";

// Deterministic demo data at any size: every id and value is derived from (seed, index) with
// md5, so the same options always produce the same rows, on either engine. Rows are generated
// inside the database with generate_series, a batch per statement, so 100k symbols and 1M
// preferences load in seconds rather than through a million round trips.

export interface DemoOptions {
  symbols: number;
  users: number;
  preferences: number;
  seed: string;
  onProgress?: (stage: string, done: number, total: number) => void;
}

const BATCH = 20_000;

/** A deterministic uuid for (seed, kind, index). */
const demoId = (seed: string, kind: string, i: ReturnType<typeof sql.ref> | ReturnType<typeof sql.raw>) =>
  sql`md5(${seed} || ':' || ${kind} || ':' || ${i})::uuid`;

async function inBatches(
  total: number,
  stage: string,
  options: DemoOptions,
  run: (from: number, to: number) => Promise<void>,
) {
  for (let from = 1; from <= total; from += BATCH) {
    const to = Math.min(total, from + BATCH - 1);
    await run(from, to);
    options.onProgress?.(stage, to, total);
  }
}

export async function loadDemoData(db: Kysely<Database>, options: DemoOptions): Promise<void> {
  const { seed } = options;
  const i = sql.ref("g.i");
  const h = (salt: string) => sql`('x' || substr(md5(${seed} || ':' || ${salt} || ':' || g.i), 1, 8))::bit(32)::bigint`;

  // Tickers are the seed's tag and the index: unique within a seed, and apart from another seed's
  // unless the two seeds' md5 begin alike (1 in 65,536), so two seeds load side by side.
  await inBatches(options.symbols, "symbols", options, async (from, to) => {
    await sql`
      insert into symbols (id, ticker, display, full_name, asset_class_id, market_id, current_price, price_change_24h,
                           is_active, is_tracked, display_order, broadcast_priority, last_broadcast_at)
      select ${demoId(seed, "symbol", i)},
             'D' || upper(substr(md5(${seed}), 1, 4)) || g.i,
             'Demo asset ' || g.i,
             'Demo asset ' || g.i || ' (' || m.code || ')',
             m.asset_class_id, m.id,
             round((${h("price")} % 10000000) / 100.0, 2),
             round(((${h("change")} % 2000) - 1000) / 100.0, 2),
             ${h("active")} % 20 <> 0,
             ${h("tracked")} % 10 <> 0,
             1000 + g.i,
             ${h("priority")} % 101,
             case when ${h("seen")} % 4 = 0 then null
                  else timestamptz '2025-01-08 00:00:00+00' + (${h("when")} % 86400) * interval '1 second' end
      from generate_series(${from}::int, ${to}::int) as g(i)
      join lateral (
        select id, asset_class_id, code from markets
        order by code offset (g.i % (select count(*) from markets)) limit 1
      ) m on true
      on conflict do nothing`.execute(db);
  });

  // The seed is part of the e-mail address, so demo users of two seeds never collide on it (the
  // second seed's preferences would otherwise point at users that were never inserted).
  const emailTag = seed.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  await inBatches(options.users, "users", options, async (from, to) => {
    await sql`
      insert into users (id, email, display_name)
      select ${demoId(seed, "user", i)}, 'user' || g.i || '.' || ${emailTag} || '@demo.mytrader.example', 'Demo user ' || g.i
      from generate_series(${from}::int, ${to}::int) as g(i)
      on conflict do nothing`.execute(db);
  });

  if (options.users > 0 && options.symbols > 0) await loadPreferences(db, options);
  // Fresh statistics, so the first queries after a bulk load get the plans they will have in
  // steady state instead of waiting for autovacuum.
  await sql`analyze symbols, users, user_dashboard_preferences`.execute(db);
}

async function loadPreferences(db: Kysely<Database>, options: DemoOptions): Promise<void> {
  const { seed } = options;
  const i = sql.ref("g.i");
  const h = (salt: string) => sql`('x' || substr(md5(${seed} || ':' || ${salt} || ':' || g.i), 1, 8))::bit(32)::bigint`;
  // Preference k (1-based, over all users) belongs to user ((k-1) % users) + 1 and points at a
  // run of consecutive demo symbols starting at a per-user offset, so no pair repeats.
  await inBatches(options.preferences, "preferences", options, async (from, to) => {
    await sql`
      insert into user_dashboard_preferences (id, user_id, symbol_id, display_order, is_pinned, is_visible)
      select ${demoId(seed, "preference", i)},
             ${demoId(seed, "user", sql.raw("u"))},
             ${demoId(seed, "symbol", sql.raw("s"))},
             n, n <= 2 and ${h("pin")} % 3 = 0, ${h("visible")} % 10 <> 0
      from (
        select g.i,
               ((g.i - 1) % ${options.users}) + 1 as u,
               ((g.i - 1) / ${options.users}) + 1 as n
        from generate_series(${from}::int, ${to}::int) as g(i)
      ) g
      cross join lateral (
        select ((('x' || substr(md5(${seed} || ':start:' || g.u), 1, 8))::bit(32)::bigint + g.n) % ${options.symbols}) + 1 as s
      ) pick
      on conflict do nothing`.execute(db);
  });
}

/** How many demo symbols exist (ids made by this module are not recognisable, tickers are). */
export async function countDemoSymbols(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{
    n: string | number;
  }>`select count(*) as n from symbols where display like 'Demo asset %'`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
