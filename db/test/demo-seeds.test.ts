import assert from "node:assert/strict";
import { it } from "node:test";
import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";
import { loadDemoData } from "../seed/demo-data.js";
import { forEachEngine } from "./engines.js";

// Demo data of several seeds side by side, as on a machine that ran `db demo` and the benchmark.

async function countsBySeed(conn: { db: Kysely<Database> }, tag: string) {
  const { rows } = await sql<{ users: number; preferences: number }>`
    select count(distinct u.id)::int as users, count(p.id)::int as preferences
    from users u left join user_dashboard_preferences p on p.user_id = u.id
    where u.email like ${`%.${tag}@demo.mytrader.example`}`.execute(conn.db);
  return rows[0]!;
}

forEachEngine("demo data of two seeds in one database", ({ conn }) => {
  it("loads a second seed after the first, and both seeds' users and preferences exist", async () => {
    await loadDemoData(conn.db, { symbols: 300, users: 40, preferences: 400, seed: "demo" });
    await loadDemoData(conn.db, { symbols: 300, users: 40, preferences: 400, seed: "bench" });
    assert.deepEqual(await countsBySeed(conn, "demo"), { users: 40, preferences: 400 });
    assert.deepEqual(await countsBySeed(conn, "bench"), { users: 40, preferences: 400 });
  });
});

forEachEngine("demo data of two seeds at a size where per-row tickers used to coincide", ({ conn }) => {
  it("loads every symbol, user and preference of both seeds", async () => {
    const size = { symbols: 2000, users: 100, preferences: 2000 };
    await loadDemoData(conn.db, { ...size, seed: "demo" });
    await loadDemoData(conn.db, { ...size, seed: "bench" });
    const { rows } = await sql<{ demo: number; bench: number }>`
      select count(*) filter (where id = md5('demo:symbol:' || g.i)::uuid)::int as demo,
             count(*) filter (where id = md5('bench:symbol:' || g.i)::uuid)::int as bench
      from symbols join generate_series(1, 2000) g(i)
        on id in (md5('demo:symbol:' || g.i)::uuid, md5('bench:symbol:' || g.i)::uuid)`.execute(conn.db);
    assert.deepEqual(rows[0], { demo: 2000, bench: 2000 });
    assert.deepEqual(await countsBySeed(conn, "bench"), { users: 100, preferences: 2000 });
  });
});
