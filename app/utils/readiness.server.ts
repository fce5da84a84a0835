import type { DbConnection } from "#db/client";
import { type ReadinessReport, readinessReport } from "#db/readiness/report";
import { evaluateRollbackTriggers, type RollbackTrigger } from "#db/readiness/triggers";
import { getDb } from "./db.server";
import { dropSnapshots, snapshot } from "./snapshot.server";

// The seed's rollback triggers (the red banner of every console page) and its go/no-go board.
// Both are evaluated live but cached: the triggers cost a few counts over the whole catalogue
// and a short EXPLAIN ANALYZE of each critical query (1.7 s at 100k symbols and 1M preferences),
// the board a full check run. Requests arriving during an evaluation share it. Anything that
// changes the answer (a migration, a check run) drops them. The banner is served stale while it
// is re-evaluated in the background (snapshot.server.ts), so no page waits for an evaluation
// except the first after a start or a change.

const TRIGGERS_CACHE_MS = 10_000;
const BOARD_CACHE_MS = 15_000;

/** The triggers firing now; an evaluation that fails shows no banner (and is logged). */
export async function getRollbackTriggers(): Promise<RollbackTrigger[]> {
  try {
    return await snapshot(
      "readiness:triggers",
      TRIGGERS_CACHE_MS,
      async () => (await evaluateRollbackTriggers(await getDb())).triggers,
      {
        serveStale: true,
      },
    );
  } catch (error) {
    console.error("[readiness] rollback triggers could not be evaluated:", error);
    return [];
  }
}

export function getReadinessReport(conn: DbConnection): Promise<ReadinessReport> {
  return snapshot("readiness:board", BOARD_CACHE_MS, () => readinessReport(conn), { serveStale: false });
}

/** After a migration step or a check run: the banner, the board and the home figures are recomputed. */
export function invalidateReadiness(): void {
  dropSnapshots();
}
