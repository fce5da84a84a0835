import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { RehearsalResult, RehearsalStep } from "./rehearse.js";

// Rehearsals are kept in the live database (the scratch copy is gone when one ends), so the
// migrations panel and the go/no-go board can show the last one's timings.

export interface StoredRehearsal extends RehearsalResult {
  id: string;
  actor: string;
}

export async function storeRehearsal(db: Kysely<Database>, result: RehearsalResult, actor: string): Promise<string> {
  const row = await db
    .insertInto("migration_rehearsals")
    .values({
      migration: result.migration,
      started_at: result.startedAt,
      actor,
      engine_label: result.engineLabel,
      method: result.method,
      up_ms: result.upMs,
      down_ms: result.downMs,
      reapply_ms: result.reapplyMs,
      checksum_equal: result.checksumEqual,
      passed: result.passed,
      steps: JSON.stringify(result.steps),
      note: result.methodNote,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function recentRehearsals(db: Kysely<Database>, limit = 5): Promise<StoredRehearsal[]> {
  const rows = await db
    .selectFrom("migration_rehearsals")
    .selectAll()
    .orderBy("started_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    actor: r.actor,
    migration: r.migration,
    engineLabel: r.engine_label,
    startedAt: new Date(r.started_at),
    method: r.method === "template" ? "template" : "copy",
    methodNote: r.note ?? "",
    upMs: r.up_ms,
    downMs: r.down_ms,
    reapplyMs: r.reapply_ms,
    checksumEqual: r.checksum_equal,
    passed: r.passed,
    steps: (Array.isArray(r.steps) ? r.steps : []) as RehearsalStep[],
  }));
}
