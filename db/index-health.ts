import { type Kysely, sql } from "kysely";
import { CATALOGUE_TABLES, EXPECTED_INDEXES } from "./checks/catalogue-objects.js";
import type { DbConnection } from "./client.js";
import { accessesNeeded, flushStatistics, hitRatio } from "./rules/cache-hit-ratio.js";
import type { Database } from "./schema.js";

// Index health from PostgreSQL's catalog and statistics views: the seed's six indexes (present,
// valid, size, scans, last use), unused and invalid indexes, cache hit ratios and table sizes.
// A statistic the engine cannot give honestly comes back as null with the reason, never as a
// made-up number: the embedded engine keeps its counters in one process and has no shared buffer
// cache worth a ratio, and PostgreSQL before 16 does not record when an index was last used.

export interface Figure {
  value: number | null;
  /** Why there is no value (null when there is one). */
  unavailable: string | null;
  /** False when the traffic is too little for the value to support a verdict. */
  judged: boolean;
}

export interface ExpectedIndexHealth {
  name: string;
  table: string;
  present: boolean;
  valid: boolean;
  sizeBytes: number | null;
  scans: number | null;
  lastUsed: Date | null;
  lastUsedUnavailable: string | null;
}

export interface IndexRow {
  name: string;
  table: string;
  valid: boolean;
  unique: boolean;
  sizeBytes: number;
  scans: number;
}

export interface TableRow {
  name: string;
  /** Live rows from the statistics (an estimate); null when the engine has none yet. */
  liveRows: number | null;
  totalBytes: number;
  tableBytes: number;
  indexBytes: number;
}

export interface IndexHealth {
  engineLabel: string;
  readAt: Date;
  statisticsSince: Date | null;
  expected: ExpectedIndexHealth[];
  unused: IndexRow[];
  invalid: IndexRow[];
  tableHitRatio: Figure;
  indexHitRatio: Figure;
  /** Block accesses the ratios are based on (table + index), and how many a verdict needs. */
  blockAccesses: number | null;
  accessesNeeded: number;
  tables: TableRow[];
}

const EMBEDDED_RATIO = "not available on the embedded database (it has no shared buffer cache to measure)";

async function exists(db: Kysely<Database>, query: ReturnType<typeof sql<{ present: boolean }>>): Promise<boolean> {
  const { rows } = await query.execute(db);
  return rows[0]?.present === true;
}

async function listIndexes(db: Kysely<Database>, hasLastScan: boolean) {
  const lastScan = hasLastScan ? sql`s.last_idx_scan` : sql`null::timestamptz`;
  const { rows } = await sql<{
    name: string;
    table: string;
    valid: boolean;
    unique: boolean;
    size_bytes: string | number;
    scans: string | number | null;
    last_scan: Date | string | null;
  }>`
    select c.relname as name, t.relname as "table", (i.indisvalid and i.indisready) as valid,
           (i.indisunique or i.indisprimary) as "unique", pg_relation_size(c.oid) as size_bytes,
           s.idx_scan as scans, ${lastScan} as last_scan
    from pg_index i
    join pg_class c on c.oid = i.indexrelid
    join pg_class t on t.oid = i.indrelid
    left join pg_stat_user_indexes s on s.indexrelid = i.indexrelid
    where t.relnamespace = current_schema()::regnamespace
    order by t.relname, c.relname`.execute(db);
  return rows.map((r) => ({
    name: r.name,
    table: r.table,
    valid: r.valid,
    unique: r.unique,
    sizeBytes: Number(r.size_bytes),
    scans: r.scans === null ? null : Number(r.scans),
    lastUsed: r.last_scan === null ? null : new Date(r.last_scan),
  }));
}

export async function readIndexHealth(
  conn: Pick<DbConnection, "db" | "engineLabel" | "features">,
): Promise<IndexHealth> {
  const { db } = conn;
  await flushStatistics(db);
  const hasLastScan = await exists(
    db,
    sql<{ present: boolean }>`
    select exists (select 1 from pg_attribute where attrelid = 'pg_stat_user_indexes'::regclass and attname = 'last_idx_scan') as present`,
  );
  const indexes = await listIndexes(db, hasLastScan);
  const catalogue = new Set<string>(CATALOGUE_TABLES);

  const expected = EXPECTED_INDEXES.map((e): ExpectedIndexHealth => {
    const found = indexes.find((i) => i.name === e.name && i.table === e.table);
    return {
      name: e.name,
      table: e.table,
      present: Boolean(found),
      valid: found?.valid ?? false,
      sizeBytes: found?.sizeBytes ?? null,
      scans: found?.scans ?? null,
      lastUsed: found?.lastUsed ?? null,
      lastUsedUnavailable: hasLastScan ? null : "not recorded before PostgreSQL 16",
    };
  });
  const plain = (i: (typeof indexes)[number]): IndexRow => ({
    name: i.name,
    table: i.table,
    valid: i.valid,
    unique: i.unique,
    sizeBytes: i.sizeBytes,
    scans: i.scans ?? 0,
  });
  // Unique and primary-key indexes enforce a rule even when no query reads them: never "unused".
  const unused = indexes.filter((i) => catalogue.has(i.table) && !i.unique && (i.scans ?? 0) === 0).map(plain);
  const invalid = indexes.filter((i) => !i.valid).map(plain);

  const { rows: io } = await sql<{
    heap_hit: number;
    heap_read: number;
    idx_hit: number;
    idx_read: number;
    blocks: number;
  }>`
    select coalesce(sum(heap_blks_hit), 0)::float8 as heap_hit, coalesce(sum(heap_blks_read), 0)::float8 as heap_read,
           coalesce(sum(idx_blks_hit), 0)::float8 as idx_hit, coalesce(sum(idx_blks_read), 0)::float8 as idx_read,
           coalesce(sum(pg_total_relation_size(relid)) / current_setting('block_size')::float8, 0)::float8 as blocks
    from pg_statio_user_tables
    where schemaname = current_schema() and relname = any(${[...CATALOGUE_TABLES]}::text[])`.execute(db);
  const t = io[0] ?? { heap_hit: 0, heap_read: 0, idx_hit: 0, idx_read: 0, blocks: 0 };
  const live = conn.features.liveStatistics;
  // Judged by the same rule as the hit-ratio check (db/rules/cache-hit-ratio.ts).
  const needed = accessesNeeded(t.blocks);
  const figure = (hits: number, reads: number): Figure => {
    if (!live) return { value: null, unavailable: EMBEDDED_RATIO, judged: false };
    const value = hitRatio(hits, reads);
    if (value === null)
      return { value: null, unavailable: "no block was read yet since the statistics were reset", judged: false };
    return { value, unavailable: null, judged: hits + reads >= needed };
  };

  // The embedded engine's counters start from zero in each process, so its row counts come from
  // the planner statistics kept in the catalog instead (-1: never analyzed, shown as unknown).
  const rowsSource = live ? sql`coalesce(s.n_live_tup, nullif(c.reltuples, -1))` : sql`nullif(c.reltuples, -1)`;
  const { rows: tables } = await sql<{
    name: string;
    live_rows: number | null;
    total: string | number;
    heap: string | number;
    idx: string | number;
  }>`
    select c.relname as name, ${rowsSource}::float8 as live_rows,
           pg_total_relation_size(c.oid) as total, pg_relation_size(c.oid) as heap, pg_indexes_size(c.oid) as idx
    from pg_class c left join pg_stat_user_tables s on s.relid = c.oid
    where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' and c.relname = any(${[...CATALOGUE_TABLES]}::text[])
    order by pg_total_relation_size(c.oid) desc`.execute(db);
  const { rows: reset } = await sql<{ stats_reset: Date | string | null }>`
    select stats_reset from pg_stat_database where datname = current_database()`.execute(db);

  return {
    engineLabel: conn.engineLabel,
    readAt: new Date(),
    statisticsSince: reset[0]?.stats_reset ? new Date(reset[0].stats_reset) : null,
    expected,
    unused,
    invalid,
    tableHitRatio: figure(t.heap_hit, t.heap_read),
    indexHitRatio: figure(t.idx_hit, t.idx_read),
    blockAccesses: live ? t.heap_hit + t.heap_read + t.idx_hit + t.idx_read : null,
    accessesNeeded: needed,
    tables: tables.map((r) => ({
      name: r.name,
      liveRows: r.live_rows === null ? null : Number(r.live_rows),
      totalBytes: Number(r.total),
      tableBytes: Number(r.heap),
      indexBytes: Number(r.idx),
    })),
  };
}
