import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";
import { CATALOGUE_TABLES } from "./catalogue-objects.js";
import type { Check } from "./types.js";

// Share of index block reads served from shared buffers on the catalogue tables (seed target:
// above 99 %). The figure is only honest with enough traffic: a cold cache must read each index
// block from disk once, so until the accesses are ~100× the index size even a perfectly cached
// workload scores under 99 %. Below that, or where the engine has no live statistic, the check
// says so in its message and does not fail, rather than show a number that means nothing.

const TARGET_RATIO = 0.99;
const ACCESSES_PER_INDEX_BLOCK = 100;
const MIN_ACCESSES = 1_000;

interface IndexTraffic {
  indexes: number;
  hits: number;
  reads: number;
  index_blocks: number;
}

/**
 * Publishes this session's pending counters before they are read: the embedded engine only does
 * so when asked, and a server session otherwise lags up to ~10 s. True when it was possible.
 */
async function flushStatistics(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`
    select exists (select 1 from pg_proc where proname = 'pg_stat_force_next_flush') as present`.execute(db);
  if (!rows[0]?.present) return false;
  // The flush happens when this statement's transaction ends, before the next one reads the view.
  await sql`select pg_stat_force_next_flush()`.execute(db);
  return true;
}

const percent = (ratio: number) => `${(Math.floor(ratio * 10_000) / 100).toFixed(2)} %`;

export const hitRatioCheck: Check = {
  id: "performance.index-hit-ratio",
  title: `Index hit ratio above ${TARGET_RATIO * 100} % on the catalogue tables`,
  category: "performance",
  // A warning: it depends on uptime and memory as much as on the schema; a restarted server
  // starts cold.
  severity: "warn",
  fixHint:
    "Give PostgreSQL more shared_buffers or memory, or look for scans that read indexes they should not (the EXPLAIN panel).",
  async offendingRows(ctx) {
    const flushed = await flushStatistics(ctx.db);
    if (!ctx.features.liveStatistics && !flushed) {
      ctx.note?.(`Not judged: index statistics are not available on ${ctx.engineLabel}.`);
      return [];
    }
    const { rows } = await sql<IndexTraffic>`
      select count(*)::int as indexes,
             coalesce(sum(idx_blks_hit), 0)::float8 as hits,
             coalesce(sum(idx_blks_read), 0)::float8 as reads,
             coalesce(sum(pg_relation_size(indexrelid)) / current_setting('block_size')::float8, 0)::float8 as index_blocks
      from pg_statio_user_indexes
      where schemaname = current_schema() and relname = any(${[...CATALOGUE_TABLES]}::text[])`.execute(ctx.db);
    const traffic = rows[0];
    if (!traffic || traffic.indexes === 0) {
      ctx.note?.(`Not judged: no index statistics for the catalogue tables on ${ctx.engineLabel}.`);
      return [];
    }
    const accesses = traffic.hits + traffic.reads;
    const needed = Math.max(MIN_ACCESSES, Math.ceil(ACCESSES_PER_INDEX_BLOCK * traffic.index_blocks));
    if (accesses < needed) {
      ctx.note?.(
        `Not judged: ${accesses} index block accesses since statistics were reset, too few for a ${TARGET_RATIO * 100} % target ` +
          `(needs ${needed}, ${ACCESSES_PER_INDEX_BLOCK}× the ${Math.ceil(traffic.index_blocks)} index blocks a cold cache reads once).`,
      );
      return [];
    }
    const ratio = traffic.hits / accesses;
    ctx.note?.(`Index hit ratio ${percent(ratio)} over ${accesses} block accesses on ${ctx.engineLabel}.`);
    if (ratio > TARGET_RATIO) return [];
    return [
      {
        hit_ratio: percent(ratio),
        block_hits: traffic.hits,
        block_reads: traffic.reads,
        target: `> ${TARGET_RATIO * 100} %`,
      },
    ];
  },
};
