import type { DbConnection } from "#db/client";
import { gateReport, rehearsedParts } from "#db/gate/gate";

// The gate before the next apply and before the next rollback: shown in each step's confirmation,
// so the admin confirms with the step's lint findings, the schema drift, its last rehearsal and
// its locks in view.

export async function stepGate(
  conn: DbConnection,
  migration: string | null,
  direction: "up" | "down",
  applied: readonly string[],
) {
  if (!migration) return null;
  const report = await gateReport(conn.db, migration, direction, applied);
  return {
    ...report,
    rehearsal: report.rehearsal && {
      passed: report.rehearsal.passed,
      startedAt: report.rehearsal.startedAt.toISOString(),
      engineLabel: report.rehearsal.engineLabel,
      upMs: report.rehearsal.upMs,
      downMs: report.rehearsal.downMs,
      reapplyMs: report.rehearsal.reapplyMs,
      parts: rehearsedParts(report),
    },
  };
}

export type StepGate = NonNullable<Awaited<ReturnType<typeof stepGate>>>;
