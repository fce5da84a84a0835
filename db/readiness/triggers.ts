import { type Kysely, sql } from "kysely";
import { broadcasterHealth, STALL_INTERVALS } from "../broadcast/health.js";
import { MIGRATION_20250108 } from "../checks/catalogue-objects.js";
import { runChecks } from "../checks/index.js";
import type { DbConnection } from "../client.js";
import { CRITICAL_QUERIES, ROLLBACK_QUERY_MS } from "../performance/critical-queries.js";
import { measureQuery, MeasurementRefusedError } from "../performance/measure.js";
import { DEFAULT_SYMBOL_COUNT } from "../rules/defaults.js";
import type { Database } from "../schema.js";
import { plural } from "../plural.js";
import { countDefaults } from "../repositories/defaults.js";
import { readWholeCatalogue } from "../whole-catalogue-read.js";

// The seed's rollback triggers ("Rollback immediately if: default symbols count != 9, query
// performance > 10 ms consistently, data integrity issues detected, orphaned records found"),
// evaluated live. Cheap enough to run behind every page: a few counts, the integrity checks and
// a short EXPLAIN ANALYZE of each critical query.

/** Runs per query for the trigger: the median of these being over 10 ms is "consistently". */
export const TRIGGER_QUERY_RUNS = 5;

export type TriggerId =
  "migration-missing" | "defaults-count" | "slow-query" | "orphans" | "integrity" | "broadcaster-stalled";

export interface RollbackTrigger {
  id: TriggerId;
  title: string;
  detail: string;
}

export interface CatalogueFigures {
  /** Null while 20250108 is not applied (the column does not exist). */
  defaults: number | null;
  active: number;
  orphans: number;
}

export interface QueryMedian {
  queryId: string;
  name: string;
  targetMs: number;
  medianMs: number | null;
  p95Ms: number | null;
  runs: number;
  problem: string | null;
}

export interface TriggerEvaluation {
  migrationApplied: boolean;
  figures: CatalogueFigures;
  queries: QueryMedian[];
  triggers: RollbackTrigger[];
}

export async function migrationApplied(db: Kysely<Database>, name = MIGRATION_20250108): Promise<boolean> {
  const { rows } = await sql<{ applied: boolean }>`
    select exists (select 1 from kysely_migration where name = ${name}) as applied`.execute(db);
  return rows[0]?.applied === true;
}

export async function catalogueFigures(db: Kysely<Database>, withDefaults: boolean): Promise<CatalogueFigures> {
  const defaults = withDefaults ? sql`(select count(*) from symbols where is_default_symbol)::int` : sql`null::int`;
  const { rows } = await readWholeCatalogue(db, (trx) =>
    sql<CatalogueFigures>`
      select ${defaults} as defaults,
             (select count(*) from symbols where is_active)::int as active,
             (select count(*) from user_dashboard_preferences p
               where not exists (select 1 from symbols s where s.id = p.symbol_id)
                  or not exists (select 1 from users u where u.id = p.user_id))::int as orphans`.execute(trx),
  );
  return rows[0]!;
}

export async function measureMedians(conn: DbConnection, runs: number): Promise<QueryMedian[]> {
  const medians: QueryMedian[] = [];
  for (const query of CRITICAL_QUERIES) {
    const base = { queryId: query.id, name: query.name, targetMs: query.targetMs };
    try {
      const m = await measureQuery(conn, query, { runs, budgetMs: 2_000 });
      medians.push({
        ...base,
        medianMs: m.execution.medianMs,
        p95Ms: m.execution.p95Ms,
        runs: m.samples.length,
        problem: null,
      });
    } catch (error) {
      const problem =
        error instanceof MeasurementRefusedError
          ? error.message
          : `could not run: ${error instanceof Error ? error.message : String(error)}`;
      medians.push({ ...base, medianMs: null, p95Ms: null, runs: 0, problem });
    }
  }
  return medians;
}

/** The triggers an operator's edit or a migration step flips, from two cheap figures. */
function quickTriggers(applied: boolean, defaults: number | null): RollbackTrigger[] {
  if (!applied) {
    // Not a trigger of the seed's list, but every one of them is unknowable without the columns.
    return [
      {
        id: "migration-missing",
        title: `Migration ${MIGRATION_20250108} is not applied`,
        detail:
          "Its four columns are missing: default symbols, priorities and providers cannot be read. " +
          "" +
          "Re-apply it on the Migrations page.",
      },
    ];
  }
  if (defaults === DEFAULT_SYMBOL_COUNT) return [];
  return [
    {
      id: "defaults-count",
      title: `${defaults} default symbols instead of ${DEFAULT_SYMBOL_COUNT}`,
      detail: `Anonymous users must see exactly ${DEFAULT_SYMBOL_COUNT} default symbols.`,
    },
  ];
}

/** A broadcaster silent for STALL_INTERVALS intervals: one read of a row per running broadcaster. */
async function stalledBroadcasterTrigger(db: Kysely<Database>): Promise<RollbackTrigger | null> {
  const broadcaster = await broadcasterHealth(db);
  if (broadcaster.state !== "stalled") return null;
  return {
    id: "broadcaster-stalled",
    title: "The broadcaster has stalled",
    detail: `No broadcast cycle for ${Math.round((broadcaster.silentMs ?? 0) / 1000)} s (over ${STALL_INTERVALS} intervals of ${broadcaster.intervalMs} ms) on ${broadcaster.host}.`,
  };
}

/** The triggers that `evaluateQuickTriggers` decides; the rest need the full evaluation. */
export const QUICK_TRIGGER_IDS: readonly TriggerId[] = ["migration-missing", "defaults-count", "broadcaster-stalled"];

/**
 * Whether 20250108 is applied, how many defaults there are and whether the broadcaster stalled:
 * two index lookups (the defaults are active by constraint, so the partial index of the default
 * query counts them) and the broadcasters' rows, cheap enough for every page, so the banner
 * follows such a change on the very next page (a stall has no write to announce it: it is the
 * absence of one, so only reading it each time shows it at once).
 */
export async function evaluateQuickTriggers(db: Kysely<Database>): Promise<RollbackTrigger[]> {
  const applied = await migrationApplied(db);
  if (!applied) return quickTriggers(false, null);
  const defaults = await countDefaults(db);
  const stalled = await stalledBroadcasterTrigger(db);
  return [...quickTriggers(true, defaults), ...(stalled ? [stalled] : [])];
}

export async function evaluateRollbackTriggers(
  conn: DbConnection,
  options: { queryRuns?: number } = {},
): Promise<TriggerEvaluation> {
  const applied = await migrationApplied(conn.db);
  const figures = await catalogueFigures(conn.db, applied);
  const triggers: RollbackTrigger[] = quickTriggers(applied, figures.defaults);
  if (!applied) return { migrationApplied: false, figures, queries: [], triggers };
  const stalled = await stalledBroadcasterTrigger(conn.db);
  if (stalled) triggers.push(stalled);
  if (figures.orphans > 0) {
    triggers.push({
      id: "orphans",
      title: plural(figures.orphans, "orphaned preference"),
      detail: "Preferences point to a symbol or user that no longer exists.",
    });
  }
  const integrity = await runChecks(conn, { categories: ["integrity"] });
  const broken = integrity.results.filter((r) => r.status === "fail" || r.status === "error");
  if (broken.length > 0) {
    triggers.push({
      id: "integrity",
      title: `${plural(broken.length, "integrity check")} failing`,
      detail: broken.map((r) => `${r.title} (${plural(r.offendingCount, "row")})`).join("; "),
    });
  }
  const queries = await measureMedians(conn, options.queryRuns ?? TRIGGER_QUERY_RUNS);
  const slow = queries.filter((q) => q.medianMs !== null && q.medianMs > ROLLBACK_QUERY_MS);
  if (slow.length > 0) {
    triggers.push({
      id: "slow-query",
      title: `${slow.map((q) => q.name).join(", ")} over ${ROLLBACK_QUERY_MS} ms`,
      detail: slow
        .map((q) => `${q.name}: median ${q.medianMs!.toFixed(2)} ms over ${q.runs} runs on ${conn.engineLabel}`)
        .join("; "),
    });
  }
  return { migrationApplied: true, figures, queries, triggers };
}
