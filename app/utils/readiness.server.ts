import type { DbConnection } from "#db/client";
import { type ReadinessReport, readinessReport } from "#db/readiness/report";
import { evaluateRollbackTriggers, type RollbackTrigger } from "#db/readiness/triggers";
import { ensureCheckSchedule } from "./check-schedule.server";
import { getDb } from "./db.server";

// The seed's rollback triggers (the red banner of every console page) and its go/no-go board.
// Both are evaluated live but cached: the triggers cost a few counts and a short EXPLAIN ANALYZE of
// each critical query, the board a full check run. Requests arriving during an evaluation share
// it. Anything that changes the answer (a migration, a check run) clears both caches.

const TRIGGERS_CACHE_MS = 10_000;
const BOARD_CACHE_MS = 15_000;

interface Cached<T> {
  at: number;
  value: Promise<T>;
}

declare global {
  // eslint-disable-next-line no-var
  var __symbolDeskReadiness: Map<string, Cached<unknown>> | undefined;
}

function cached<T>(key: "triggers" | "board", ttl: number, compute: () => Promise<T>): Promise<T> {
  const store = (globalThis.__symbolDeskReadiness ??= new Map());
  const entry = store.get(key);
  if (entry && Date.now() - entry.at <= ttl) return entry.value as Promise<T>;
  const value = compute();
  store.set(key, { at: Date.now(), value });
  // A failed evaluation is not kept: the next request tries again.
  value.catch(() => {
    if (store.get(key)?.value === value) store.delete(key);
  });
  return value;
}

/** The triggers firing now; an evaluation that fails shows no banner (and is logged). */
export async function getRollbackTriggers(): Promise<RollbackTrigger[]> {
  ensureCheckSchedule();
  try {
    return await cached("triggers", TRIGGERS_CACHE_MS, async () => (await evaluateRollbackTriggers(await getDb())).triggers);
  } catch (error) {
    console.error("[readiness] rollback triggers could not be evaluated:", error);
    return [];
  }
}

export function getReadinessReport(conn: DbConnection): Promise<ReadinessReport> {
  return cached("board", BOARD_CACHE_MS, () => readinessReport(conn));
}

export function invalidateReadiness(): void {
  globalThis.__symbolDeskReadiness?.clear();
}
