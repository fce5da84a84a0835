import { type Kysely, sql } from "kysely";
import { runChecks } from "../checks/index.js";
import { type DbConnection, type OpenOptions, optionsFromEnv } from "../client.js";
import { migrateDown, migrateUp, migrationNames, migrationStatus } from "../migrator.js";
import type { StepPart } from "../migrations/step-parts.js";
import type { Database } from "../schema.js";
import { openScratchCopy } from "./scratch.js";

// A migration rehearsed on a scratch copy of the live database: up → validate → down → validate →
// up, each timed, with a checksum of every symbol row after the first and the second up. Equal
// checksums mean the rollback lost nothing. The live database is only read (to copy it).

export const TARGETS = { upMs: 5_000, downMs: 2_000 } as const;

export type StepName =
  "prepare" | "up" | "validate after up" | "down" | "validate after down" | "re-apply" | "validate after re-apply";

export interface RehearsalStep {
  name: StepName;
  ok: boolean;
  durationMs: number;
  detail: string;
  /** For up, down and re-apply: where the migration's time went (db/migrations/step-parts.ts). */
  parts?: StepPart[];
}

export interface RehearsalResult {
  migration: string;
  engineLabel: string;
  startedAt: Date;
  method: "template" | "copy";
  methodNote: string;
  upMs: number | null;
  downMs: number | null;
  reapplyMs: number | null;
  checksumEqual: boolean | null;
  passed: boolean;
  steps: RehearsalStep[];
}

const BOOKKEEPING = new Set(["kysely_migration", "kysely_migration_lock", "migration_runs"]);

/** Every column and index of the schema, as "table.column type" and "index on table" lines. */
async function schemaShape(db: Kysely<Database>): Promise<Set<string>> {
  const { rows: columns } = await sql<{ line: string; table_name: string }>`
    select table_name, table_name || '.' || column_name || ' ' || data_type as line
    from information_schema.columns where table_schema = current_schema()`.execute(db);
  const { rows: indexes } = await sql<{ line: string; table_name: string }>`
    select tablename as table_name, 'index ' || indexname || ' on ' || tablename as line
    from pg_indexes where schemaname = current_schema()`.execute(db);
  return new Set([...columns, ...indexes].filter((r) => !BOOKKEEPING.has(r.table_name)).map((r) => r.line));
}

export async function symbolsChecksum(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ checksum: string }>`
    select md5(coalesce(string_agg(row_to_json(t)::text, '|' order by t.id), '')) as checksum from symbols t`.execute(
    db,
  );
  return rows[0]?.checksum ?? "";
}

/** The migration "roll back one step" would undo, or the next pending one when nothing is applied. */
export async function defaultRehearsalTarget(db: Kysely<Database>): Promise<string | null> {
  const status = await migrationStatus(db);
  return (
    status.filter((s) => s.state === "applied").at(-1)?.name ?? status.find((s) => s.state !== "applied")?.name ?? null
  );
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

/**
 * Every check but the query timings: a scratch copy has a cold cache and fresh statistics, so
 * its timings say nothing about production (measured: a 3 ms target missed on a loaded machine),
 * while the schema and data checks are exactly what a rehearsal must prove.
 */
const REHEARSAL_CATEGORIES = ["defaults", "integrity", "providers", "preferences", "schema"];

async function validate(scratch: DbConnection): Promise<{ passed: boolean; statuses: string; detail: string }> {
  const report = await runChecks(scratch, { categories: REHEARSAL_CATEGORIES });
  const failing = report.results.filter((r) => r.status === "fail" || r.status === "error").map((r) => r.id);
  const statuses = report.results.map((r) => `${r.id}=${r.status === "warn" ? "pass" : r.status}`).join(",");
  const detail =
    `${report.counts.pass} of ${report.results.length} checks pass` +
    (failing.length ? `; not passing: ${failing.join(", ")}` : "");
  return { passed: report.passed, statuses, detail };
}

export async function rehearseMigration(
  conn: DbConnection,
  options: { migration?: string; source?: OpenOptions } = {},
): Promise<RehearsalResult> {
  const migration = options.migration ?? (await defaultRehearsalTarget(conn.db));
  if (!migration || !migrationNames().includes(migration))
    throw new Error(`Unknown migration: ${migration ?? "(none)"}`);
  const startedAt = new Date();
  const scratch = await openScratchCopy(conn, options.source ?? optionsFromEnv());
  const steps: RehearsalStep[] = [];
  const step = (name: StepName, ok: boolean, durationMs: number, detail: string, parts?: StepPart[]) =>
    steps.push({ name, ok, durationMs, detail, ...(parts && { parts }) });
  const result: RehearsalResult = {
    migration,
    engineLabel: scratch.conn.engineLabel,
    startedAt,
    method: scratch.method,
    methodNote: scratch.note,
    upMs: null,
    downMs: null,
    reapplyMs: null,
    checksumEqual: null,
    passed: false,
    steps,
  };
  const db = scratch.conn.db;
  try {
    // Start from just before the migration: roll back it and anything after it, or apply what precedes it.
    const prepared = await timed(async () => {
      const status = await migrationStatus(db);
      const appliedFrom = status.findIndex((s) => s.name === migration && s.state === "applied");
      if (appliedFrom >= 0) {
        const later = status.slice(appliedFrom).filter((s) => s.state === "applied").length;
        return migrateDown(db, { actor: "rehearsal", steps: later, force: true });
      }
      const index = migrationNames().indexOf(migration);
      return index > 0 ? migrateUp(db, { actor: "rehearsal", target: migrationNames()[index - 1]! }) : [];
    });
    step(
      "prepare",
      true,
      prepared.ms,
      prepared.value.length
        ? `brought the copy to just before ${migration}: ` +
            `${prepared.value.map((s) => `${s.direction} ${s.migration}`).join(", ")}`
        : `the copy was already just before ${migration}`,
    );
    const shapeBefore = await schemaShape(db);

    const up = await timed(() => migrateUp(db, { actor: "rehearsal", target: migration }));
    const applied = up.value.find((s) => s.migration === migration);
    result.upMs = applied?.durationMs ?? up.ms;
    step(
      "up",
      true,
      result.upMs,
      `applied ${migration} in ${result.upMs} ms (target < ${TARGETS.upMs} ms)`,
      applied?.parts,
    );
    const afterUp = await timed(() => validate(scratch.conn));
    const checksumUp = await symbolsChecksum(db);
    step("validate after up", afterUp.value.passed, afterUp.ms, afterUp.value.detail);

    // A scratch copy: even the console's own migrations may go.
    const down = await timed(() => migrateDown(db, { actor: "rehearsal", force: true }));
    const rolledBack = down.value[0];
    if (rolledBack?.migration !== migration)
      throw new Error(`the rollback undid ${rolledBack?.migration ?? "nothing"}, not ${migration}`);
    result.downMs = rolledBack.durationMs;
    step(
      "down",
      true,
      result.downMs,
      `rolled back ${migration} in ${result.downMs} ms (target < ${TARGETS.downMs} ms)`,
      rolledBack.parts,
    );
    const shapeAfterDown = await schemaShape(db);
    const missing = [...shapeBefore].filter((line) => !shapeAfterDown.has(line));
    const kept = [
      ...new Set([...shapeAfterDown].filter((line) => !shapeBefore.has(line)).map((line) => line.split(/[. ]/)[0])),
    ];
    step(
      "validate after down",
      missing.length === 0,
      0,
      missing.length === 0
        ? `schema is back to what it was before ` +
            `${migration}${kept.length ? `; kept: ${kept.join(", ")} (values saved for re-apply)` : ""}`
        : `not restored: ${missing.slice(0, 5).join("; ")}`,
    );

    const reapply = await timed(() => migrateUp(db, { actor: "rehearsal", target: migration }));
    const reapplied = reapply.value.find((s) => s.migration === migration);
    result.reapplyMs = reapplied?.durationMs ?? reapply.ms;
    step("re-apply", true, result.reapplyMs, `applied ${migration} again in ${result.reapplyMs} ms`, reapplied?.parts);
    const afterReapply = await timed(() => validate(scratch.conn));
    const checksumReapply = await symbolsChecksum(db);
    result.checksumEqual = checksumUp === checksumReapply;
    const sameChecks = afterReapply.value.statuses === afterUp.value.statuses;
    step(
      "validate after re-apply",
      afterReapply.value.passed && result.checksumEqual && sameChecks,
      afterReapply.ms,
      `${afterReapply.value.detail}; symbols checksum ${result.checksumEqual ? "equal" : "DIFFERENT"} ` +
        `(${checksumUp.slice(0, 8)} → ` +
        `${checksumReapply.slice(0, 8)})${sameChecks ? "" : "; check results differ from after the first up"}`,
    );
    result.passed = steps.every((s) => s.ok);
  } catch (error) {
    const failedAt: StepName = result.upMs === null ? "up" : result.downMs === null ? "down" : "re-apply";
    step(failedAt, false, 0, error instanceof Error ? error.message : String(error));
    result.passed = false;
  } finally {
    await scratch.drop();
  }
  return result;
}
