import { migrateDown, migrateUp, migrationStatus } from "../../db/migrator.js";
import { tableChecksum } from "../../db/test/fingerprint.js";
import type { Dataset } from "./datasets.js";
import { type HttpFigure, load } from "./http-bench.js";
import type { RunningServer } from "./servers.js";

// Rolls back and re-applies 20250108 while clients keep reading, and sorts what they saw by
// phase: before, while `down` runs, while the columns are gone, while `up` runs, after.

const TARGET = "20250108_data_driven_symbols";
type Phase = "before" | "down" | "rolled back" | "up" | "after";

export interface PhaseFigure {
  phase: Phase;
  responses: number;
  byStatus: Record<string, number>;
  worstLatencyMs: number;
}

export interface MigrationUnderLoadFigure {
  rollbackSteps: { migration: string; durationMs: number }[];
  reapplySteps: { migration: string; durationMs: number }[];
  phases: PhaseFigure[];
  load: HttpFigure;
  checksumEqual: boolean;
  /** 503 responses seen while the columns were gone that carried Retry-After. */
  serviceUnavailableWithRetryAfter: boolean | null;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function migrationUnderLoad(
  server: RunningServer,
  dataset: Dataset,
  options: { path: string; connections: number; seconds: number },
): Promise<MigrationUnderLoadFigure> {
  const db = dataset.conn.db;
  const status = await migrationStatus(db);
  const names = status.map((s) => s.name);
  // Kysely rolls back newest first: everything from 20250108 on comes off, then goes back on.
  const steps = names.length - names.indexOf(TARGET);
  const before = await tableChecksum(db, "symbols");

  let phase: Phase = "before";
  const figures = new Map<Phase, PhaseFigure>();
  const record = (statusCode: number, latencyMs: number) => {
    const figure = figures.get(phase) ?? { phase, responses: 0, byStatus: {}, worstLatencyMs: 0 };
    figure.responses++;
    figure.byStatus[statusCode] = (figure.byStatus[statusCode] ?? 0) + 1;
    figure.worstLatencyMs = Math.max(figure.worstLatencyMs, latencyMs);
    figures.set(phase, figure);
  };
  const running = load({ target: `${options.path} during rollback and re-apply`, server, ...options, onResponse: record });

  // The schedule is the experiment: a few seconds of steady load on each side of each step.
  const settle = Math.max(1000, (options.seconds * 1000) / 6);
  await wait(settle);
  phase = "down";
  const rollbackSteps = await migrateDown(db, { actor: "bench", steps });
  phase = "rolled back";
  const probe = await fetch(`${server.url}${options.path}`);
  const retryAfter = probe.status === 503 ? probe.headers.get("retry-after") !== null : null;
  await wait(settle);
  phase = "up";
  const reapplySteps = await migrateUp(db, { actor: "bench" });
  phase = "after";
  const result = await running;

  return {
    rollbackSteps: rollbackSteps.map((s) => ({ migration: s.migration, durationMs: s.durationMs })),
    reapplySteps: reapplySteps.map((s) => ({ migration: s.migration, durationMs: s.durationMs })),
    phases: (["before", "down", "rolled back", "up", "after"] as Phase[]).flatMap((p) => figures.get(p) ?? []),
    load: result,
    checksumEqual: (await tableChecksum(db, "symbols")) === before,
    serviceUnavailableWithRetryAfter: retryAfter,
  };
}
