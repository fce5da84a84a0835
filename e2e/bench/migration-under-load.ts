import os from "node:os";
import { sql } from "kysely";
import { migrateDown, migrateUp, migrationStatus, type StepResult } from "../../db/migrator.js";
import { tableChecksum } from "../../db/test/fingerprint.js";
import type { Dataset } from "./datasets.js";
import { type HttpFigure, load } from "./http-bench.js";
import type { RunningServer } from "./servers.js";

// Rolls back and re-applies 20250108 while clients keep reading, and sorts every response by the
// moment it ARRIVED: before, while `down` runs, while the columns are gone (including the first
// moments of `up`, before it has added them back), while the rest of `up` runs, after. A request
// in flight across a change counts in the later phase. "Columns gone" and "columns back" are
// observed from a separate session polling the catalogue every few ms, not taken from when a
// step returned: `down` makes a few more round trips after its DROP COLUMN has committed.
// Answers read just before the drop (or just after the columns came back) can still arrive a
// few ms on the other side of the observed moment, since the server at full CPU writes them
// late: the figure says how far from those edges any 200 of "columns gone" arrived.

const TARGET = "20250108_data_driven_symbols";
const PHASES = ["before", "down", "columns gone", "up (columns back)", "after"] as const;
type Phase = (typeof PHASES)[number];

export interface PhaseFigure {
  phase: Phase;
  responses: number;
  byStatus: Record<string, number>;
  worstLatencyMs: number;
}

type StepFigure = Pick<StepResult, "migration" | "durationMs" | "parts">;

export interface MigrationUnderLoadFigure {
  /** Each step with where its time went (db/migrations/step-parts.ts). */
  rollbackSteps: StepFigure[];
  reapplySteps: StepFigure[];
  /** os.loadavg() (1, 5, 15 minutes) as the experiment began and as it ended: the machine is shared. */
  loadAverage: { before: number[]; after: number[] };
  /** From the start of `up` until the re-added columns were visible to other sessions. */
  columnsBackAfterMs: number | null;
  phases: PhaseFigure[];
  load: HttpFigure;
  checksumEqual: boolean;
  /** The first 503 after the rollback carried Retry-After (null: none came within the probe's time). */
  serviceUnavailableWithRetryAfter: boolean | null;
  /** How long after `down` returned the server began answering 503 (its cache heard the change). */
  unavailableAfterMs: number | null;
  /** 200s that arrived while the columns were gone, and how far the farthest was from the phase's edges. */
  okWhileColumnsGone: { count: number; farthestFromEdgeMs: number | null };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the catalogue from its own session; resolves with the moment the columns are `wanted`. */
async function columnsObserved(
  db: Dataset["conn"]["db"],
  wanted: "present" | "absent",
  timeoutMs = 120_000,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (performance.now() > deadline) throw new Error(`the 20250108 columns were not ${wanted} within ${timeoutMs} ms`);
    const { rows } = await sql<{ present: boolean }>`
      select exists (select 1 from information_schema.columns
        where table_name = 'symbols' and column_name = 'is_default_symbol') as present`.execute(db);
    if (rows[0]?.present === (wanted === "present")) return performance.now();
    await wait(2);
  }
}

async function firstUnavailable(
  url: string,
  deadlineMs: number,
): Promise<{ retryAfter: boolean; afterMs: number } | null> {
  const started = performance.now();
  while (performance.now() - started < deadlineMs) {
    const response = await fetch(url);
    await response.arrayBuffer();
    if (response.status === 503)
      return {
        retryAfter: response.headers.get("retry-after") !== null,
        afterMs: Math.round(performance.now() - started),
      };
    await wait(5);
  }
  return null;
}

export async function migrationUnderLoad(
  server: RunningServer,
  dataset: Dataset,
  options: {
    path: string;
    connections: number;
    seconds: number;
    /** Spreads the load over several endpoints (and users); see LoadOptions. */
    vary?: () => { path?: string; headers?: Record<string, string> };
  },
): Promise<MigrationUnderLoadFigure> {
  const db = dataset.conn.db;
  const names = (await migrationStatus(db)).map((s) => s.name);
  // Kysely rolls back newest first: everything from 20250108 on comes off, then goes back on.
  const steps = names.length - names.indexOf(TARGET);
  const before = await tableChecksum(db, "symbols");
  const loadBefore = os.loadavg();

  // Moments (performance.now()) at which each phase after "before" begins.
  const starts = new Map<Phase, number>();
  const phaseAt = (at: number): Phase => {
    let current: Phase = "before";
    for (const phase of PHASES) if ((starts.get(phase) ?? Infinity) <= at) current = phase;
    return current;
  };
  const responses: { at: number; status: number; latencyMs: number }[] = [];
  // The load lasts as long as the experiment, however long the steps take on a busy machine.
  let experimentOver!: () => void;
  const over = new Promise<void>((resolve) => (experimentOver = resolve));
  const running = load({
    target: `${options.vary ? "defaults, user symbols and search" : options.path} during rollback and re-apply`,
    server,
    ...options,
    until: over,
    onResponse: (status, latencyMs) => responses.push({ at: performance.now(), status, latencyMs }),
  });

  // The schedule is the experiment: a few seconds of steady load on each side of each step.
  const settle = Math.max(1000, (options.seconds * 1000) / 6);
  let rollbackSteps: StepResult[], reapplySteps: StepResult[];
  let probe: Awaited<ReturnType<typeof firstUnavailable>>;
  let upStarted: number, columnsBackAt: number;
  try {
    await wait(settle);
    starts.set("down", performance.now());
    const columnsGone = columnsObserved(db, "absent");
    rollbackSteps = await migrateDown(db, { actor: "bench", steps });
    starts.set("columns gone", await columnsGone);
    probe = await firstUnavailable(`${server.url}${options.path}`, 2_000);
    await wait(settle);

    upStarted = performance.now();
    const columnsBack = columnsObserved(db, "present");
    reapplySteps = await migrateUp(db, { actor: "bench" });
    columnsBackAt = await columnsBack;
    starts.set("up (columns back)", columnsBackAt);
    starts.set("after", performance.now());
    await wait(settle);
  } finally {
    experimentOver();
  }
  const result = await running;

  const goneFrom = starts.get("columns gone")!;
  const goneUntil = starts.get("up (columns back)")!;
  // Distance of each 200 of "columns gone" from the nearer edge of the phase.
  const okWhileGoneFromEdge: number[] = [];
  const figures = new Map<Phase, PhaseFigure>();
  for (const r of responses) {
    const phase = phaseAt(r.at);
    if (phase === "columns gone" && r.status === 200)
      okWhileGoneFromEdge.push(Math.min(r.at - goneFrom, goneUntil - r.at));
    const figure = figures.get(phase) ?? { phase, responses: 0, byStatus: {}, worstLatencyMs: 0 };
    figure.responses++;
    figure.byStatus[r.status] = (figure.byStatus[r.status] ?? 0) + 1;
    figure.worstLatencyMs = Math.max(figure.worstLatencyMs, Math.round(r.latencyMs));
    figures.set(phase, figure);
  }

  return {
    okWhileColumnsGone: {
      count: okWhileGoneFromEdge.length,
      farthestFromEdgeMs: okWhileGoneFromEdge.length === 0 ? null : Math.round(Math.max(...okWhileGoneFromEdge)),
    },
    rollbackSteps: rollbackSteps.map(({ migration, durationMs, parts }) => ({ migration, durationMs, parts })),
    reapplySteps: reapplySteps.map(({ migration, durationMs, parts }) => ({ migration, durationMs, parts })),
    loadAverage: { before: loadBefore, after: os.loadavg() },
    columnsBackAfterMs: Math.round(columnsBackAt - upStarted),
    phases: PHASES.flatMap((p) => figures.get(p) ?? []),
    load: result,
    checksumEqual: (await tableChecksum(db, "symbols")) === before,
    serviceUnavailableWithRetryAfter: probe?.retryAfter ?? null,
    unavailableAfterMs: probe?.afterMs ?? null,
  };
}
