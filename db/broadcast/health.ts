import type { Kysely } from "kysely";
import { listDefaultSymbols } from "../queries/default-symbols.js";
import type { Database } from "../schema.js";
import { listInstances } from "./control.js";
import type { BroadcasterStats } from "./stats.js";

// Is the broadcaster doing its job? Read from what every running broadcaster writes once per
// cycle (broadcaster_instances), so the console sees a broadcaster in another process alike.
// Stalled: the newest instance has not finished a cycle for STALL_INTERVALS intervals.

export const STALL_INTERVALS = 10;
/** Connection stability: disconnects per minute allowed, as a share of connected clients (at least 5). */
export const DISCONNECTS_PER_MINUTE_SHARE = 0.1;
export const MIN_DISCONNECTS_ALLOWED = 5;
/** Broadcast frequency: each default symbol sent in at least this share of the minute's cycles. */
export const DEFAULT_SEND_SHARE = 0.5;

export type BroadcasterState = "live" | "paused" | "stalled" | "not-running";

export interface BroadcasterHealth {
  state: BroadcasterState;
  instanceId: string | null;
  host: string | null;
  lastCycleAt: Date | null;
  intervalMs: number | null;
  /** Milliseconds since the newest instance's last cycle. */
  silentMs: number | null;
  stats: BroadcasterStats | null;
  liveInstances: number;
}

export async function broadcasterHealth(db: Kysely<Database>, now = Date.now()): Promise<BroadcasterHealth> {
  const instances = await listInstances(db);
  const newest = instances[0];
  if (!newest) {
    return {
      state: "not-running",
      instanceId: null,
      host: null,
      lastCycleAt: null,
      intervalMs: null,
      silentMs: null,
      stats: null,
      liveInstances: 0,
    };
  }
  const silentFor = (at: Date | null, startedAt: Date) => now - (at ?? startedAt).getTime();
  const stalled = (row: (typeof instances)[number]) =>
    silentFor(row.last_cycle_at, row.started_at) > STALL_INTERVALS * row.interval_ms;
  const silentMs = silentFor(newest.last_cycle_at, newest.started_at);
  const state: BroadcasterState = stalled(newest) ? "stalled" : newest.stats.paused ? "paused" : "live";
  return {
    state,
    instanceId: newest.instance_id,
    host: newest.host,
    lastCycleAt: newest.last_cycle_at,
    intervalMs: newest.interval_ms,
    silentMs,
    stats: newest.stats,
    liveInstances: instances.filter((row) => !stalled(row)).length,
  };
}

export interface FrequencyFigure {
  ticker: string;
  sendsPerMinute: number;
}

/** Each default symbol's sends in the last minute, against what the interval allows. */
export async function defaultSendFrequency(db: Kysely<Database>, health: BroadcasterHealth) {
  const defaults = await listDefaultSymbols(db);
  const sends = new Map(health.stats?.symbols.map((s) => [s.id, s.sendsPerMinute]) ?? []);
  const figures: FrequencyFigure[] = defaults.map((d) => ({ ticker: d.ticker, sendsPerMinute: sends.get(d.id) ?? 0 }));
  const possible = health.intervalMs ? Math.min(health.stats?.cycles ?? 0, Math.floor(60_000 / health.intervalMs)) : 0;
  return { figures, possible, required: Math.floor(possible * DEFAULT_SEND_SHARE) };
}
