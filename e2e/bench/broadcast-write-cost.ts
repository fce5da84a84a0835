import { parseArgs } from "node:util";
import { sql } from "kysely";
import { stampStatement } from "../../db/broadcast/stamp.js";
import { openDatabase } from "../../db/client.js";
import { migrateUp } from "../../db/migrator.js";
import { broadcastListQuery as listBroadcastQueueQuery, listBroadcastQueue } from "../../db/queries/broadcast-list.js";
import { loadDefaultData } from "../../db/seed/default-data.js";
import { loadDemoData } from "../../db/seed/demo-data.js";
import { createServerDatabase } from "../../db/test/engines.js";
import { percentile } from "./stats.js";

const median = (values: readonly number[]) => percentile(values, 50);

// What stamping `last_broadcast_at` costs the database: the broadcaster's cycle (the broadcast
// query, then one UPDATE of the rows it listed) once a second on a catalogue of N symbols, with
// the seed's indexes ("seed": up to 20250111) and with 20250115 ("hot"). Prints WAL bytes per
// cycle (EXPLAIN (ANALYZE, WAL) of the stamp itself, so other databases on a shared server do not
// count), the share of HOT updates, table and index growth, and the broadcast query's time.
//
//   tsx e2e/bench/broadcast-write-cost.ts --symbols 100000 --seconds 600 [--variants seed,hot]

const { values } = parseArgs({
  options: {
    symbols: { type: "string", default: "100000" },
    seconds: { type: "string", default: "180" },
    variants: { type: "string", default: "seed,hot" },
    "interval-ms": { type: "string", default: "1000" },
  },
});
const symbols = Number(values.symbols);
const seconds = Number(values.seconds);
const intervalMs = Number(values["interval-ms"]);

interface Sizes {
  heap: number;
  indexes: number;
  updates: number;
  hot: number;
}

export interface WriteCostFigure {
  variant: string;
  symbols: number;
  cycles: number;
  walBytesPerCycleMedian: number;
  walBytesPerCycleP95: number;
  walRecordsPerCycle: number;
  hotShare: number;
  heapGrowthKb: number;
  indexGrowthKb: number;
  /** The last minute's median, once the table has settled (HOT needs pages with room). */
  walBytesPerCycleLastMinute: number;
  queryMsMedian: number;
  queryMsP95: number;
  /** EXPLAIN ANALYZE execution time of the broadcast query at the end, median of 20. */
  queryExplainMsMedian: number;
  stampMsMedian: number;
}

async function sizes(db: Parameters<typeof listBroadcastQueue>[0]): Promise<Sizes> {
  await sql`select pg_stat_force_next_flush()`.execute(db);
  const { rows } = await sql<{ heap: string; indexes: string; updates: string; hot: string }>`
    select pg_relation_size('symbols') as heap, pg_indexes_size('symbols') as indexes,
           n_tup_upd as updates, n_tup_hot_upd as hot
    from pg_stat_user_tables where relname = 'symbols'`.execute(db);
  const row = rows[0]!;
  return { heap: Number(row.heap), indexes: Number(row.indexes), updates: Number(row.updates), hot: Number(row.hot) };
}

export async function measureWriteCost(variant: "seed" | "hot", log: (line: string) => void): Promise<WriteCostFigure> {
  const created = await createServerDatabase("sd_bench_stamp");
  const conn = await openDatabase({ databaseUrl: created.url, poolSize: 2 });
  try {
    const { db } = conn;
    await migrateUp(db, { actor: "bench", target: "20250111_covering_user_order_index" });
    await loadDefaultData(db);
    await loadDemoData(db, { symbols, users: 0, preferences: 0, seed: "stamp" });
    if (variant === "hot") await migrateUp(db, { actor: "bench" });
    await sql`vacuum analyze symbols`.execute(db);
    const before = await sizes(db);
    const wal: number[] = [];
    const records: number[] = [];
    const queryMs: number[] = [];
    const stampMs: number[] = [];
    const ends = performance.now() + seconds * 1000;
    for (let next = performance.now(); performance.now() < ends;) {
      const started = performance.now();
      const queue = await listBroadcastQueue(db);
      queryMs.push(performance.now() - started);
      const compiled = stampStatement(
        db,
        queue.map((row) => row.id),
        new Date(),
      );
      const plan = (
        await db.executeQuery<{ "QUERY PLAN": Array<{ Plan: Record<string, number> }> }>({
          ...compiled,
          sql: `explain (analyze, wal, format json) ${compiled.sql}`,
        })
      ).rows[0]!["QUERY PLAN"][0]!.Plan;
      wal.push(plan["WAL Bytes"] ?? 0);
      records.push(plan["WAL Records"] ?? 0);
      stampMs.push(plan["Actual Total Time"] ?? 0);
      next += intervalMs;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (wal.length % 60 === 0) log(`    ${variant}: ${wal.length} cycles, median WAL ${median(wal)} B`);
    }
    const after = await sizes(db);
    const explainMs: number[] = [];
    const query = listBroadcastQueueQuery(db).compile();
    for (let i = 0; i < 20; i++) {
      const explained = await db.executeQuery<{ "QUERY PLAN": Array<{ "Execution Time": number }> }>({
        ...query,
        sql: `explain (analyze, format json) ${query.sql}`,
      });
      explainMs.push(explained.rows[0]!["QUERY PLAN"][0]!["Execution Time"]);
    }
    const updates = after.updates - before.updates;
    return {
      variant,
      symbols,
      cycles: wal.length,
      walBytesPerCycleMedian: median(wal),
      walBytesPerCycleP95: percentile(wal, 95),
      walRecordsPerCycle: median(records),
      hotShare: updates > 0 ? (after.hot - before.hot) / updates : 0,
      heapGrowthKb: Math.round((after.heap - before.heap) / 1024),
      indexGrowthKb: Math.round((after.indexes - before.indexes) / 1024),
      walBytesPerCycleLastMinute: median(wal.slice(-60)),
      queryMsMedian: median(queryMs),
      queryExplainMsMedian: median(explainMs),
      queryMsP95: percentile(queryMs, 95),
      stampMsMedian: median(stampMs),
    };
  } finally {
    await conn.close();
    await created.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const variant of values.variants!.split(",") as Array<"seed" | "hot">) {
    console.log(`${variant}: ${symbols.toLocaleString("en")} symbols, a cycle every ${intervalMs} ms for ${seconds} s`);
    console.log(JSON.stringify(await measureWriteCost(variant, console.log), null, 2));
  }
}
