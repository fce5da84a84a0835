import { config, parseConfig } from "#db/config";
import type { DbConnection } from "#db/client";
import { migrationInProgress } from "#db/migrator";
import { latestRunStart, runAndStoreChecks } from "#db/quality/check-history";
import { runEvery, runLater } from "./background-work.server";
import { getDb } from "./db.server";
import { getLeadership } from "./instance.server";

// The seed's "run validation queries every 4 hours": the instance that leads the background work
// (db/leadership.ts) runs all data-quality checks on that interval (CHECK_INTERVAL_HOURS, 0 turns
// it off) and stores each run; every instance shows the stored runs. A tick of a follower does
// nothing, and a tick skips when a scheduled run was stored recently, so a new leader taking over
// does not run again what the old one just ran. A tick during a migration step waits
// for it to end: checks against a half-migrated schema would store failures that are not real,
// and their scans would hold the tables the step's DDL is waiting to lock.

/** The first run waits a little, so a starting server answers its first requests first. */
const FIRST_RUN_DELAY_MS = 60_000;
/** A scheduled run this much younger than the interval makes a tick skip. */
const SKIP_FRACTION = 0.9;
/** How long a tick that met a migration step waits before it looks again. */
const MIGRATION_RETRY_MS = 60_000;

export function scheduleIntervalMs(env?: Record<string, string | undefined>): number {
  return (env ? parseConfig(env) : config()).CHECK_INTERVAL_HOURS * 3600_000;
}

declare global {
  var __symbolDeskCheckSchedule: { intervalMs: number } | undefined;
}

export type ScheduledOutcome = "ran" | "recent" | "migrating" | "follower";

/** One tick's work: a run of every check, unless one ran recently or a migration step is running. */
export async function runScheduledChecks(
  conn: DbConnection,
  intervalMs: number,
  who: { leader: boolean; instanceId: string } = { leader: true, instanceId: "" },
): Promise<ScheduledOutcome> {
  if (!who.leader) return "follower";
  if (await migrationInProgress(conn.db)) return "migrating";
  const last = await latestRunStart(conn.db, "schedule");
  if (last && Date.now() - last.getTime() < intervalMs * SKIP_FRACTION) return "recent";
  const { report } = await runAndStoreChecks(conn, {
    trigger: "schedule",
    actor: who.instanceId ? `scheduler@${who.instanceId}` : "scheduler",
  });
  console.log(
    `[checks] scheduled run: ${report.counts.pass} pass, ${report.counts.warn} warn, ${report.counts.fail} fail, ` +
      `${report.counts.error} error`,
  );
  return "ran";
}

/** A tick that meets the previous one still running (a short interval, a slow run) does nothing. */
let ticking = false;

async function tick(intervalMs: number): Promise<void> {
  if (ticking) return;
  ticking = true;
  try {
    const leadership = await getLeadership();
    const who = { leader: leadership.isLeader(), instanceId: leadership.instanceId };
    const outcome = await runScheduledChecks(await getDb(), intervalMs, who);
    if (outcome === "migrating") runLater(MIGRATION_RETRY_MS, () => tick(intervalMs));
  } catch (error) {
    // A run that cannot start (database down, history table rolled back) waits for the next tick.
    console.error("[checks] scheduled run failed:", error instanceof Error ? error.message : error);
  } finally {
    ticking = false;
  }
}

/**
 * Starts the schedule once per process; later calls do nothing. The server calls it at start-up
 * (app/server/console-instance.ts), so runs happen whether or not anyone opens a page.
 */
export function startCheckSchedule(): void {
  if (globalThis.__symbolDeskCheckSchedule) return;
  const intervalMs = scheduleIntervalMs();
  globalThis.__symbolDeskCheckSchedule = { intervalMs };
  if (intervalMs === 0) return;
  runEvery(intervalMs, () => tick(intervalMs), Math.min(FIRST_RUN_DELAY_MS, intervalMs));
}

/** When the next scheduled run is due, as a sentence for the quality panel ("All checks run every 4 h"). */
export function scheduleDescription(): string {
  const ms = globalThis.__symbolDeskCheckSchedule?.intervalMs ?? scheduleIntervalMs();
  if (ms === 0) return "Scheduled runs are off (CHECK_INTERVAL_HOURS=0)";
  const hours = ms / 3600_000;
  return `All checks run every ${Number.isInteger(hours) ? hours : hours.toFixed(2)} h`;
}
