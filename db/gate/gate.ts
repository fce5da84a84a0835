import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import { FINDINGS_FILE, LINT_DIR, type LintFinding } from "../lint-migrations.js";
import { migrationStatus } from "../migrator.js";
import { partsLine } from "../migrations/step-parts.js";
import { stepTimeouts, type StepTimeouts } from "../migrations/step-timeouts.js";
import { recentRehearsals, type StoredRehearsal } from "../rehearsal/store.js";
import type { Database } from "../schema.js";
import { type Drift, hasDrift, schemaDrift } from "./drift.js";
import { locksOf, lockTimeoutOf, type StepLock } from "./locks.js";

// What an admin sees before a migration step runs, on /migrations and in `npm run db -- migrate`:
// squawk's findings for that step, drift of the live schema from what the applied migrations
// should have made, the step's last rehearsal, and the locks it takes and how long each may wait.
// `concerns` lists what is off; the CLI asks for --yes while there is any.

export interface GateReport {
  migration: string;
  direction: "up" | "down";
  /** null: the migrations were never linted here (`npm run lint:migrations` records them). */
  findings: LintFinding[] | null;
  drift: Drift;
  rehearsal: StoredRehearsal | null;
  locks: StepLock[] | null;
  lockTimeout: string;
  timeouts: StepTimeouts;
  concerns: string[];
}

function lintedFindings(migration: string, pass: "up" | "down"): LintFinding[] | null {
  if (!existsSync(FINDINGS_FILE)) return null;
  const { findings } = JSON.parse(readFileSync(FINDINGS_FILE, "utf8")) as { findings: LintFinding[] };
  return findings.filter((f) => f.migration === migration && f.pass === pass);
}

function recording(migration: string, pass: "up" | "down"): string | null {
  const file = path.join(LINT_DIR, `${migration}.${pass}.sql`);
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}

/** `applied`: the applied migrations' names, when the caller has just read them (else read here). */
export async function gateReport(
  db: Kysely<Database>,
  migration: string,
  direction: "up" | "down",
  applied?: readonly string[],
): Promise<GateReport> {
  applied ??= (await migrationStatus(db)).filter((m) => m.state === "applied").map((m) => m.name);
  const [drift, rehearsals] = await Promise.all([schemaDrift(db, applied), recentRehearsals(db, 20).catch(() => [])]);
  const rehearsal = rehearsals.find((r) => r.migration === migration) ?? null;
  const findings = lintedFindings(migration, direction);
  const sqlText = recording(migration, direction);
  const timeouts = stepTimeouts(migration);
  const concerns: string[] = [];
  if (findings !== null && findings.length > 0) concerns.push(`${findings.length} squawk finding(s) for this step`);
  if (hasDrift(drift)) concerns.push("the live schema differs from what the applied migrations should have made");
  if (rehearsal && !rehearsal.passed) concerns.push("the last rehearsal of this migration failed");
  return {
    migration,
    direction,
    findings,
    drift,
    rehearsal,
    locks: sqlText === null ? null : locksOf(sqlText),
    lockTimeout: (sqlText && lockTimeoutOf(sqlText)) ?? timeouts.lock,
    timeouts,
    concerns,
  };
}

/**
 * The rehearsed step's parts for this direction: the rollback's for a rollback, the re-apply's for
 * an apply (the re-apply is what restores saved values; it is the slower of the two ups).
 */
export function rehearsedParts(report: Pick<GateReport, "direction" | "rehearsal">): string | null {
  const name = report.direction === "down" ? "down" : "re-apply";
  const parts = report.rehearsal?.steps.find((s) => s.name === name)?.parts;
  return parts?.length ? `${name} by part: ${partsLine(parts)}` : null;
}

/** The report as lines for a terminal. */
export function gateLines(report: GateReport): string[] {
  const { drift, rehearsal } = report;
  const lines = [`Before ${report.direction === "up" ? "applying" : "rolling back"} ${report.migration}:`];
  lines.push(
    report.findings === null
      ? "  lint: not run here (npm run lint:migrations)"
      : `  lint: ${report.findings.length} ` +
          `finding(s)${report.findings.map((f) => `\n    ${f.rule}: ${f.message}`).join("")}`,
  );
  const driftLines = [
    ...drift.missing.map((l) => `    missing ${l}`),
    ...drift.extra.map((l) => `    extra ${l}`),
    ...drift.invalid.map((l) => `    invalid index ${l}`),
    ...drift.unknown.map((l) => `    no stored expectation for ${l}`),
  ];
  lines.push(driftLines.length ? `  drift:\n${driftLines.join("\n")}` : "  drift: none");
  lines.push(
    rehearsal
      ? `  last rehearsal: ${rehearsal.passed ? "passed" : "FAILED"} ${rehearsal.startedAt.toISOString()} on ` +
          `${rehearsal.engineLabel}: up ${rehearsal.upMs ?? "–"} ms, down ${rehearsal.downMs ?? "–"} ms, ` +
          `re-apply ${rehearsal.reapplyMs ?? "–"} ms`
      : "  last rehearsal: none",
  );
  const parts = rehearsedParts(report);
  if (parts) lines.push(`    ${parts}`);
  lines.push(
    `  locks (each waits at most lock_timeout ${report.lockTimeout}; ` +
      `each statement runs at most ${report.timeouts.statement}):`,
  );
  if (report.locks === null) lines.push("    unknown until the migrations are linted here (npm run lint:migrations)");
  else if (report.locks.length === 0) lines.push("    none on existing tables");
  for (const lock of report.locks ?? [])
    lines.push(`    ${lock.level} on ${lock.table} (${lock.statements} statement(s); blocks ${lock.blocks})`);
  if (report.concerns.length) lines.push(`  off: ${report.concerns.join("; ")}`);
  return lines;
}
