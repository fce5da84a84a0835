import { sql } from "kysely";
import {
  ACCESSES_PER_BLOCK,
  accessesNeeded,
  flushStatistics,
  HIT_RATIO_TARGET,
  HIT_RATIO_TARGET_TEXT,
  hitRatio,
  meetsHitRatioTarget,
} from "../rules/cache-hit-ratio.js";
import { CATALOGUE_TABLES } from "./catalogue-objects.js";
import type { Check } from "./types.js";

// Share of index block reads served from shared buffers on the catalogue tables, judged by the
// rule of db/rules/cache-hit-ratio.ts. With too little traffic for an honest figure, or where the
// engine has no live statistic, the check says so in its message and does not fail, rather than
// show a number that means nothing.

interface IndexTraffic {
  indexes: number;
  hits: number;
  reads: number;
  index_blocks: number;
}

const percent = (ratio: number) => `${(Math.floor(ratio * 10_000) / 100).toFixed(2)} %`;

export const hitRatioCheck: Check = {
  id: "performance.index-hit-ratio",
  title: `Index hit ratio above ${HIT_RATIO_TARGET * 100} % on the catalogue tables`,
  category: "performance",
  // A warning: it depends on uptime and memory as much as on the schema; a restarted server
  // starts cold.
  severity: "warn",
  fixHint:
    "Give PostgreSQL more shared_buffers or memory, or look for scans that read indexes they should not (the " +
    "EXPLAIN panel).",
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
    const needed = accessesNeeded(traffic.index_blocks);
    if (accesses < needed) {
      ctx.note?.(
        `Not judged: ${accesses} index block accesses since statistics were reset, ` +
          `too few for a ${HIT_RATIO_TARGET * 100} % target ` +
          `(needs ${needed}, ${ACCESSES_PER_BLOCK}× the ${Math.ceil(traffic.index_blocks)} index blocks a cold ` +
          `cache reads once).`,
      );
      return [];
    }
    const ratio = hitRatio(traffic.hits, traffic.reads) ?? 0;
    ctx.note?.(`Index hit ratio ${percent(ratio)} over ${accesses} block accesses on ${ctx.engineLabel}.`);
    if (meetsHitRatioTarget(ratio)) return [];
    return [
      {
        hit_ratio: percent(ratio),
        block_hits: traffic.hits,
        block_reads: traffic.reads,
        target: HIT_RATIO_TARGET_TEXT,
      },
    ];
  },
};
