import {
  evaluateQuickTriggers,
  evaluateRollbackTriggers,
  QUICK_TRIGGER_IDS,
  type RollbackTrigger,
} from "#db/readiness/triggers";
import { readSharedResult, storeSharedResult } from "#db/shared-results";
import { runEvery } from "./background-work.server";
import { getDb } from "./db.server";
import { getLeadership } from "./instance.server";
import { markSnapshotsStale } from "./page-snapshots.server";
import { dropSnapshots, hasSnapshot, renewSnapshot, seedSnapshot, snapshot } from "./snapshot.server";

// The seed's rollback triggers (the red banner of every console page). They cost a few counts
// over the whole catalogue and a short EXPLAIN ANALYZE of each critical query (1.7 s at 100k
// symbols and 1M preferences), so they are evaluated in the background and cached; requests
// arriving during an evaluation share it, and anything that changes the answer (a migration, a
// check run) drops the cache. The banner is served stale while it is re-evaluated
// (snapshot.server.ts); after a start, the evaluation the leader stored last is served until this
// process has its own, so no page waits for one. The triggers an operator flips (the default
// count, 20250108 applied) and a stalled broadcaster are read afresh for every page. The go/no-go
// board is a stored page snapshot (page-snapshots.server.ts).

// One evaluation costs PostgreSQL 1 to 1.5 s of CPU at 100k symbols and 1M preferences (the orphan
// count is most of it): renewed every 20 s that is 5 to 8 % of a core, every 10 s twice that.
const TRIGGERS_CACHE_MS = 20_000;
// Several instances: the leader evaluates the triggers and stores them; the others read that
// row, and evaluate themselves only when it is missing or older than this (no leader, or rolled back).
const BANNER_KEY = "readiness:triggers";
const STORED_FRESH_MS = 3 * TRIGGERS_CACHE_MS;

async function currentTriggers(): Promise<RollbackTrigger[]> {
  const conn = await getDb();
  const leadership = await getLeadership().catch(() => null);
  const leader = leadership?.isLeader() ?? true;
  if (!leader) {
    const stored = await readSharedResult<RollbackTrigger[]>(conn.db, BANNER_KEY);
    if (stored && Date.now() - stored.computedAt.getTime() < STORED_FRESH_MS) return stored.value;
  }
  const { triggers } = await evaluateRollbackTriggers(conn);
  if (leader) {
    await storeSharedResult(conn.db, BANNER_KEY, triggers, leadership?.instanceId ?? "this instance").catch(() => {});
  }
  return triggers;
}

declare global {
  var __symbolDeskBannerLoop: boolean | undefined;
}

/**
 * The leader keeps the stored banner fresh even while nobody asks it for a page. Started by the
 * server at start-up (app/server/console-instance.ts), and by the first page where no server did (tests).
 */
export function ensureBannerEvaluation(): void {
  if (globalThis.__symbolDeskBannerLoop) return;
  globalThis.__symbolDeskBannerLoop = true;
  runEvery(TRIGGERS_CACHE_MS, async () => {
    const leadership = await getLeadership();
    // Renewed at every tick, not once the last evaluation has aged past the interval: it started a
    // moment after its own tick, so at this one it is a moment short of that age, and would wait
    // for the next (twice the interval).
    if (leadership.isLeader()) await renewSnapshot(BANNER_KEY, currentTriggers);
  });
}

/** The triggers firing now; an evaluation that fails shows no banner (and is logged). */
export async function getRollbackTriggers(): Promise<RollbackTrigger[]> {
  ensureBannerEvaluation();
  const [quick, full] = await Promise.all([quickTriggers(), fullTriggers()]);
  if (quick === null) return full;
  // The quick answer is the current one for its triggers; with 20250108 gone it is the only one.
  if (quick.some((t) => t.id === "migration-missing")) return quick;
  return [...quick, ...full.filter((t) => !QUICK_TRIGGER_IDS.includes(t.id))];
}

async function fullTriggers(): Promise<RollbackTrigger[]> {
  try {
    if (!hasSnapshot(BANNER_KEY)) {
      // A cold start: the last stored evaluation (whatever its age) until this process has its own,
      // which it starts at once only if the stored one is older than the interval. A restart a few
      // seconds after the leader's evaluation would otherwise repeat it (a second or more of the
      // database's CPU at 100k symbols) under the first pages, for nothing.
      const stored = await readSharedResult<RollbackTrigger[]>((await getDb()).db, BANNER_KEY);
      if (stored) seedSnapshot(BANNER_KEY, stored.value, stored.computedAt.getTime());
    }
    return await snapshot(BANNER_KEY, TRIGGERS_CACHE_MS, currentTriggers, { serveStale: true });
  } catch (error) {
    console.error("[readiness] rollback triggers could not be evaluated:", error);
    return [];
  }
}

// Evaluated for every page (two index lookups), shared by the requests that arrive meanwhile:
// the banner shows a changed default count or a migration step on the next page, not seconds later.
let quickInFlight: Promise<RollbackTrigger[] | null> | null = null;

function quickTriggers(): Promise<RollbackTrigger[] | null> {
  quickInFlight ??= (async () => {
    try {
      return await evaluateQuickTriggers((await getDb()).db);
    } catch (error) {
      console.error("[readiness] default count could not be read:", error);
      return null;
    } finally {
      quickInFlight = null;
    }
  })();
  return quickInFlight;
}

/** After a migration step or a check run: the banner is re-evaluated, the stored page snapshots retaken. */
export function invalidateReadiness(): void {
  dropSnapshots();
  markSnapshotsStale();
}
