import { sql } from "kysely";
import { type DbConnection, openDatabase } from "../../db/client.js";
import { migrateUp } from "../../db/migrator.js";
import { loadDefaultData } from "../../db/seed/default-data.js";
import { loadDemoData } from "../../db/seed/demo-data.js";
import { createServerDatabase } from "../../db/test/engines.js";

// One PostgreSQL database per catalogue size, made for the run and dropped after it. Every size
// has ten preferences per user, plus one user holding 30 (a typical dashboard) and one holding 200
// (the heavy end of the user query).

export interface Dataset {
  symbols: number;
  url: string;
  conn: DbConnection;
  loadSeconds: number;
  userWith10: string;
  /** A typical dashboard: 30 preferences (one of the ten-preference users, given twenty more). */
  userWith30: string;
  userWith200: string;
  drop(): Promise<void>;
}

export const HEAVY_USER_EMAIL = "heavy@bench.mytrader.example";

export async function makeDataset(symbols: number, log: (line: string) => void): Promise<Dataset> {
  const created = await createServerDatabase("sd_bench");
  const conn = await openDatabase({ databaseUrl: created.url, poolSize: 4 });
  await migrateUp(conn.db, { actor: "bench" });
  await loadDefaultData(conn.db);
  const users = symbols;
  const started = performance.now();
  let lastLog = 0;
  await loadDemoData(conn.db, {
    symbols,
    users,
    preferences: users * 10,
    seed: "bench",
    onProgress: (stage, done, total) => {
      if (done === total || performance.now() - lastLog > 5000) {
        log(`    ${stage} ${done.toLocaleString("en")} / ${total.toLocaleString("en")}`);
        lastLog = performance.now();
      }
    },
  });
  const loadSeconds = (performance.now() - started) / 1000;

  const heavy = await conn.db
    .insertInto("users")
    .values({ email: HEAVY_USER_EMAIL, display_name: "Heavy user" })
    .onConflict((oc) => oc.column("email").doUpdateSet({ display_name: "Heavy user" }))
    .returning("id")
    .executeTakeFirstOrThrow();
  await sql`
    insert into user_dashboard_preferences (user_id, symbol_id, display_order, is_pinned, is_visible)
    select ${heavy.id}, id, row_number() over (order by ticker), false, true
    from (select id, ticker from symbols where is_active order by ticker limit 200) s
    on conflict do nothing`.execute(conn.db);
  const tenEach = await sql<{ user_id: string }>`
    select user_id from user_dashboard_preferences group by user_id having count(*) = 10 order by user_id limit 2`.execute(
    conn.db,
  );
  const [light, typical] = tenEach.rows.map((row) => row.user_id);
  // Twenty more symbols spread over the catalogue, after the user's own ten.
  await sql`
    insert into user_dashboard_preferences (user_id, symbol_id, display_order, is_pinned, is_visible)
    select ${typical}, id, 1000 + row_number() over (order by md5(id::text)), false, true
    from (select id from symbols where is_active order by md5(id::text) limit 20) s
    on conflict do nothing`.execute(conn.db);
  await sql`vacuum analyze`.execute(conn.db);

  return {
    symbols,
    url: created.url,
    conn,
    loadSeconds,
    userWith10: light!,
    userWith30: typical!,
    userWith200: heavy.id,
    drop: async () => {
      await conn.close();
      await created.drop();
    },
  };
}
