import type { DbConnection } from "#db/client";
import { gateReport } from "#db/gate/gate";

// The gate before the next apply: shown beside the confirmation, so the admin confirms with the
// step's lint findings, the schema drift, its last rehearsal and its locks in view.

export async function applyGate(conn: DbConnection, migration: string | null) {
  if (!migration) return null;
  const report = await gateReport(conn.db, migration, "up");
  return {
    ...report,
    rehearsal: report.rehearsal && {
      passed: report.rehearsal.passed,
      startedAt: report.rehearsal.startedAt.toISOString(),
      engineLabel: report.rehearsal.engineLabel,
      upMs: report.rehearsal.upMs,
      downMs: report.rehearsal.downMs,
      reapplyMs: report.rehearsal.reapplyMs,
    },
  };
}

export type ApplyGate = NonNullable<Awaited<ReturnType<typeof applyGate>>>;
