import { data } from "@remix-run/node";
import { z } from "zod";
import type { DbConnection } from "#db/client";
import {
  CONSOLE_ROLLBACK_CONSEQUENCES,
  ConsoleMigrationRollbackError,
  isConsoleMigration,
  MigrationFailedError,
  migrateDown,
  migrateUp,
  migrationNames,
  migrationStatus,
  recordedRuns,
  repairInterrupted,
} from "#db/migrator";
import { migrationEffects } from "#db/quality/migration-effects";
import { rehearseMigration, TARGETS } from "#db/rehearsal/rehearse";
import { recentRehearsals, storeRehearsal } from "#db/rehearsal/store";
import { optionsFromEnv } from "#db/client";
import { describeFailure, readPanel } from "~/utils/panel-data.server";

// The migrations panel's data and its four admin actions. Each action names the migration the
// admin confirmed; if the next step has become another one meanwhile (someone else acted), the
// action is refused with 409 rather than running a step nobody confirmed. The console's own
// migrations are never rolled back from here (403): that takes `npm run db -- rollback --force`.

/** Why the panel does not roll `name` back, or null when it may. */
export function rollbackRefusal(name: string): string | null {
  if (!isConsoleMigration(name)) return null;
  return (
    `${name} is one of the console's own migrations: it cannot be rolled back from this page. ` +
    `${CONSOLE_ROLLBACK_CONSEQUENCES} If it really must go, ` +
    `take a backup and run \`npm run db -- rollback --force\` on the server.`
  );
}

export async function migrationsData(conn: DbConnection) {
  const [status, runs, rehearsals] = await Promise.all([
    migrationStatus(conn.db),
    recordedRuns(conn.db, 30),
    readPanel("The stored rehearsals", () => recentRehearsals(conn.db, 5)),
  ]);
  const applied = status.filter((s) => s.state === "applied");
  const nextUp = status.find((s) => s.state === "pending")?.name ?? null;
  const nextDown = applied.at(-1)?.name ?? null;
  const withEffects = (name: string) => ({ name, ...migrationEffects(name) });
  return {
    engineLabel: conn.engineLabel,
    targets: TARGETS,
    migrations: status.map((s) => ({
      name: s.name,
      state: s.state,
      summary: migrationEffects(s.name).summary,
      appliedAt: s.appliedAt?.toISOString() ?? null,
      lastRun: s.lastRun && { ...s.lastRun, startedAt: s.lastRun.startedAt.toISOString() },
    })),
    nextUp: nextUp ? withEffects(nextUp) : null,
    nextDown: nextDown ? { ...withEffects(nextDown), refusal: rollbackRefusal(nextDown) } : null,
    /** Migrations after the one a rollback would reach: what stands before 20250108, say. */
    appliedNames: applied.map((s) => s.name),
    interrupted: status.filter((s) => s.state === "interrupted").map((s) => s.name),
    runs: runs.map((r) => ({
      id: r.id,
      migration: r.migration,
      direction: r.direction,
      actor: r.actor,
      outcome: r.outcome,
      startedAt: new Date(r.started_at).toISOString(),
      durationMs: r.duration_ms,
      error: r.error,
    })),
    rehearsals: rehearsals.ok
      ? { ok: true as const, list: rehearsals.data.map((r) => ({ ...r, startedAt: r.startedAt.toISOString() })) }
      : { ok: false as const, message: rehearsals.message },
    migrationNames: migrationNames(),
  };
}

export const actionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("apply"), migration: z.string().min(1, "Say which migration you confirmed.") }),
    z.object({ intent: z.literal("rollback"), migration: z.string().min(1, "Say which migration you confirmed.") }),
    z.object({ intent: z.literal("rehearse"), migration: z.string().min(1, "Choose a migration to rehearse.") }),
    z.object({ intent: z.literal("repair") }),
  ],
  { error: "Unknown action." },
);

export type MigrationAction = z.infer<typeof actionSchema>;

const refuse = (error: string, status: number) => data({ ok: false as const, error }, { status });

export async function runMigrationAction(conn: DbConnection, input: MigrationAction, actor: string) {
  const status = await migrationStatus(conn.db);
  try {
    switch (input.intent) {
      case "apply": {
        const next = status.find((s) => s.state === "pending")?.name;
        if (next !== input.migration)
          return refuse(
            `The next migration to apply is now ${next ?? "none"}, not ${input.migration}. Review and confirm again.`,
            409,
          );
        const [step] = await migrateUp(conn.db, { actor, steps: 1 });
        return {
          ok: true as const,
          message: `Applied ${step?.migration} in ${step?.durationMs} ms (target < ${TARGETS.upMs / 1000} s).`,
        };
      }
      case "rollback": {
        const refusal = rollbackRefusal(input.migration);
        if (refusal) return refuse(refusal, 403);
        const last = status.filter((s) => s.state === "applied").at(-1)?.name;
        if (last !== input.migration)
          return refuse(
            `The migration a one-step rollback undoes is now ${last ?? "none"}, not ${input.migration}. ` +
              `Review and confirm again.`,
            409,
          );
        const [step] = await migrateDown(conn.db, { actor, steps: 1 });
        return {
          ok: true as const,
          message: `Rolled back ${step?.migration} in ${step?.durationMs} ms (target < ${TARGETS.downMs / 1000} s).`,
        };
      }
      case "rehearse": {
        if (!migrationNames().includes(input.migration))
          return refuse(`There is no migration named ${input.migration}.`, 400);
        let result;
        try {
          result = await rehearseMigration(conn, { migration: input.migration, source: optionsFromEnv() });
        } catch (error) {
          // Making the scratch database failed (no CREATEDB privilege, say): the live one is untouched.
          console.error("[migrations] rehearsal could not start:", error);
          return refuse(
            `The rehearsal could not start: ${error instanceof Error ? error.message : String(error)}. ` +
              `The live database was not changed.`,
            500,
          );
        }
        let stored = true;
        try {
          await storeRehearsal(conn.db, result, actor);
        } catch {
          stored = false; // the history table is rolled back: the result is still shown once
        }
        return {
          ok: true as const,
          message:
            `Rehearsal of ${result.migration} ${result.passed ? "passed" : "FAILED"}.` +
            (stored ? "" : " (Not stored: the rehearsal history table is not there.)"),
          stored,
          rehearsal: { ...result, startedAt: result.startedAt.toISOString() },
        };
      }
      case "repair": {
        const repaired = await repairInterrupted(conn.db, actor);
        return {
          ok: true as const,
          message: repaired.length
            ? `Repaired: ${repaired.map((s) => `${s.direction} ${s.migration}`).join(", ")}.`
            : "Nothing needed repair.",
        };
      }
    }
  } catch (error) {
    // The next rollback became a console migration after the check above (someone acted meanwhile).
    if (error instanceof ConsoleMigrationRollbackError) return refuse(rollbackRefusal(error.migration)!, 403);
    if (error instanceof MigrationFailedError) {
      console.error("[migrations]", error);
      return refuse(`${error.message}. The run is recorded as failed; “Repair” finishes it.`, 500);
    }
    return refuse(
      describeFailure(error, `The ${input.intent} could not be completed; details are in the server log.`),
      500,
    );
  }
}
