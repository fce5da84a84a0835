import type { DbConnection } from "#db/client";
import { type ReadinessReport, readinessReport } from "#db/readiness/report";
import { evaluateRollbackTriggers, type RollbackTrigger } from "#db/readiness/triggers";
import { ensureCheckSchedule } from "./check-schedule.server";
import { getDb } from "./db.server";

// The seed's rollback triggers (the red banner of every console page) and its go/no-go board.
// Both are evaluated live but cached: the triggers cost a few counts over the whole catalogue
// and a short EXPLAIN ANALYZE of each critical query (1.7 s at 100k symbols and 1M preferences),
// the board a full check run. Requests arriving during an evaluation share it. Anything that
// changes the answer (a migration, a check run) clears both caches.
//
// The banner is served stale while it is re-evaluated in the background, so no page waits for
// an evaluation except the first after a start or a change.

const TRIGGERS_CACHE_MS = 10_000;
const BOARD_CACHE_MS = 15_000;

interface Cached<T> {
  at: number;
  value: Promise<T>;
  refreshing: boolean;
}

declare global {
  // eslint-disable-next-line no-var
  var __symbolDeskReadiness: Map<string, Cached<unknown>> | undefined;
}

function cached<T>(key: "triggers" | "board", ttl: number, compute: () => Promise<T>, options: { serveStale: boolean }): Promise<T> {
  const store = (globalThis.__symbolDeskReadiness ??= new Map()) as Map<string, Cached<T>>;
  const entry = store.get(key);
  if (entry && Date.now() - entry.at <= ttl) return entry.value;
  if (entry && options.serveStale) {
    if (!entry.refreshing) {
      entry.refreshing = true;
      compute().then(
        (value) => {
          // Kept unless the cache was cleared meanwhile (the result may predate the change).
          if (store.get(key) === entry) store.set(key, { at: Date.now(), value: Promise.resolve(value), refreshing: false });
        },
        (error: unknown) => {
          entry.refreshing = false;
          console.error(`[readiness] ${key} could not be re-evaluated; the last answer stays:`, error);
        },
      );
    }
    return entry.value;
  }
  const value = compute();
  store.set(key, { at: Date.now(), value, refreshing: false });
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
    return await cached("triggers", TRIGGERS_CACHE_MS, async () => (await evaluateRollbackTriggers(await getDb())).triggers, {
      serveStale: true,
    });
  } catch (error) {
    console.error("[readiness] rollback triggers could not be evaluated:", error);
    return [];
  }
}

export function getReadinessReport(conn: DbConnection): Promise<ReadinessReport> {
  return cached("board", BOARD_CACHE_MS, () => readinessReport(conn), { serveStale: false });
}

export function invalidateReadiness(): void {
  globalThis.__symbolDeskReadiness?.clear();
}
