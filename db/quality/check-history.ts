import type { Kysely } from "kysely";
import {
  type CheckContext,
  type CheckReport,
  type CheckResult,
  type OffendingRow,
  runChecks,
} from "../checks/index.js";
import type { Database } from "../schema.js";

// Every run of the data-quality checks, kept: the quality panel shows the latest run in full and
// each check's recent statuses as a trend. The runner is db/checks' own (the CLI and CI use the
// same one); this module only stores what it reports.

export type RunTrigger = "manual" | "schedule" | "cli";

/** Runs older than this are deleted when a new run is stored: a trend, not an archive. */
const RETENTION_DAYS = 90;

export interface StoredCheckRun {
  id: string;
  startedAt: Date;
  durationMs: number;
  engineLabel: string;
  trigger: RunTrigger;
  actor: string;
  passed: boolean;
  counts: { pass: number; warn: number; fail: number; error: number };
  results: CheckResult[];
}

export interface CheckTrendPoint {
  runId: string;
  startedAt: Date;
  status: CheckResult["status"];
  offendingCount: number;
}

/** The JSON the sample is stored as: dates become ISO strings, bigints numbers. */
function storableSample(sample: OffendingRow[]): string {
  return JSON.stringify(sample, (_key, value) => (typeof value === "bigint" ? Number(value) : value));
}

export async function storeCheckRun(
  db: Kysely<Database>,
  report: CheckReport,
  meta: { trigger: RunTrigger; actor: string },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .insertInto("check_runs")
      .values({
        started_at: report.startedAt,
        duration_ms: report.durationMs,
        engine_label: report.engineLabel,
        trigger: meta.trigger,
        actor: meta.actor,
        passed: report.passed,
        pass_count: report.counts.pass,
        warn_count: report.counts.warn,
        fail_count: report.counts.fail,
        error_count: report.counts.error,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (report.results.length > 0) {
      await trx
        .insertInto("check_results")
        .values(
          report.results.map((r) => ({
            run_id: run.id,
            check_id: r.id,
            started_at: report.startedAt,
            title: r.title,
            category: r.category,
            severity: r.severity,
            status: r.status,
            offending_count: r.offendingCount,
            sample: storableSample(r.sample),
            message: r.message,
            fix_hint: r.fixHint,
            duration_ms: r.durationMs,
          })),
        )
        .execute();
    }
    const cutoff = new Date(report.startedAt.getTime() - RETENTION_DAYS * 24 * 3600 * 1000);
    await trx.deleteFrom("check_runs").where("started_at", "<", cutoff).execute();
    return run.id;
  });
}

/** Runs every check with db/checks' runner and stores the report. */
export async function runAndStoreChecks(
  ctx: CheckContext,
  meta: { trigger: RunTrigger; actor: string },
): Promise<{ runId: string; report: CheckReport }> {
  const report = await runChecks(ctx);
  const runId = await storeCheckRun(ctx.db, report, meta);
  return { runId, report };
}

export async function latestCheckRun(db: Kysely<Database>): Promise<StoredCheckRun | null> {
  const run = await db.selectFrom("check_runs").selectAll().orderBy("started_at", "desc").limit(1).executeTakeFirst();
  if (!run) return null;
  const rows = await db.selectFrom("check_results").selectAll().where("run_id", "=", run.id).execute();
  return {
    id: run.id,
    startedAt: new Date(run.started_at),
    durationMs: run.duration_ms,
    engineLabel: run.engine_label,
    trigger: run.trigger,
    actor: run.actor,
    passed: run.passed,
    counts: { pass: run.pass_count, warn: run.warn_count, fail: run.fail_count, error: run.error_count },
    results: rows.map((r) => ({
      id: r.check_id,
      title: r.title,
      category: r.category as CheckResult["category"],
      severity: r.severity,
      fixHint: r.fix_hint,
      status: r.status,
      offendingCount: r.offending_count,
      sample: (Array.isArray(r.sample) ? r.sample : []) as OffendingRow[],
      message: r.message,
      durationMs: r.duration_ms,
    })),
  };
}

/** The start of the latest stored run made by `trigger`, or null. */
export async function latestRunStart(db: Kysely<Database>, trigger?: RunTrigger): Promise<Date | null> {
  let query = db.selectFrom("check_runs").select("started_at").orderBy("started_at", "desc").limit(1);
  if (trigger) query = query.where("trigger", "=", trigger);
  const row = await query.executeTakeFirst();
  return row ? new Date(row.started_at) : null;
}

/**
 * The last `perCheck` results of every check, oldest first, keyed by check id: one query over the
 * last runs rather than one per check.
 */
export async function checkTrends(db: Kysely<Database>, perCheck = 30): Promise<Map<string, CheckTrendPoint[]>> {
  const runs = await db.selectFrom("check_runs").select("id").orderBy("started_at", "desc").limit(perCheck).execute();
  const trends = new Map<string, CheckTrendPoint[]>();
  if (runs.length === 0) return trends;
  const rows = await db
    .selectFrom("check_results")
    .select(["run_id", "check_id", "started_at", "status", "offending_count"])
    .where(
      "run_id",
      "in",
      runs.map((r) => r.id),
    )
    .orderBy("started_at", "asc")
    .execute();
  for (const row of rows) {
    const points = trends.get(row.check_id) ?? [];
    points.push({
      runId: row.run_id,
      startedAt: new Date(row.started_at),
      status: row.status,
      offendingCount: row.offending_count,
    });
    trends.set(row.check_id, points);
  }
  return trends;
}

export interface CheckRunSummary {
  id: string;
  startedAt: Date;
  trigger: RunTrigger;
  actor: string;
  passed: boolean;
  counts: StoredCheckRun["counts"];
}

export async function recentCheckRuns(db: Kysely<Database>, limit = 10): Promise<CheckRunSummary[]> {
  const rows = await db.selectFrom("check_runs").selectAll().orderBy("started_at", "desc").limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    startedAt: new Date(r.started_at),
    trigger: r.trigger,
    actor: r.actor,
    passed: r.passed,
    counts: { pass: r.pass_count, warn: r.warn_count, fail: r.fail_count, error: r.error_count },
  }));
}
