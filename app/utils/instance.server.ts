import { config } from "#db/config";
import {
  assertSharedSecret,
  defaultInstanceId,
  type Leadership,
  StartRefusedError,
  startLeadership,
} from "#db/leadership";
import { getDb } from "./db.server";

// This process as one of several instances: its leadership of the background work, and the
// start-up check that several instances (or a pooler) share one SESSION_SECRET. Kept on
// globalThis, like the connection, so the server and the build share one.

declare global {
  var __symbolDeskLeadership: Promise<Leadership> | undefined;
  var __symbolDeskBroadcastLeadership: Leadership | undefined;
}

/** The in-process broadcaster's lead of the broadcast cycles, for the pages that show it. */
export function registerBroadcastLeadership(leadership: Leadership | undefined): void {
  globalThis.__symbolDeskBroadcastLeadership = leadership;
}

/** null when no broadcaster runs in this process (BROADCASTER_IN_PROCESS=false, or it failed to start). */
export const broadcastLeadership = (): Leadership | null => globalThis.__symbolDeskBroadcastLeadership ?? null;

/** Leadership of this process, started with the database connection. */
export function getLeadership(): Promise<Leadership> {
  globalThis.__symbolDeskLeadership ??= getDb().then((conn) => {
    const leadership = startLeadership(conn, defaultInstanceId(config().PORT));
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void leadership.close());
    return leadership;
  });
  const starting = globalThis.__symbolDeskLeadership;
  starting.catch(() => {
    if (globalThis.__symbolDeskLeadership === starting) globalThis.__symbolDeskLeadership = undefined;
  });
  return starting;
}

/** Whether this process leads now; false while the database cannot be reached. */
export async function leadsNow(): Promise<boolean> {
  try {
    return (await getLeadership()).isLeader();
  } catch {
    return false;
  }
}

const READY_WAIT_MS = 5_000;

/**
 * Called once before the server listens: opens the database, takes part in leadership and throws
 * StartRefusedError when this instance would sign sessions with a secret of its own. A database
 * that cannot be reached yet is not a refusal: the server starts and answers 503 until it is.
 */
export async function startInstance(): Promise<void> {
  let leadership: Leadership;
  let conn;
  try {
    conn = await getDb();
    leadership = await getLeadership();
  } catch {
    console.error("[server] the database is not reachable at start-up; instance checks wait for it");
    return;
  }
  await Promise.race([leadership.ready, new Promise((resolve) => setTimeout(resolve, READY_WAIT_MS).unref())]);
  assertSharedSecret(conn, leadership, (config().SESSION_SECRET ?? []).length > 0);
  const { pooled, poolerDetail } = conn.topology();
  if (pooled) console.log(`[server] DATABASE_URL is a transaction pooler (${poolerDetail})`);
}

/** startInstance for the server's start-up: a refusal ends the process with its message. */
export async function startInstanceOrExit(): Promise<void> {
  // The embedded engine is one process by construction: nothing to check or lead.
  if (!config().DATABASE_URL) return;
  try {
    await startInstance();
  } catch (error) {
    if (!(error instanceof StartRefusedError)) throw error;
    console.error(`[server] ${error.message}`);
    process.exit(2);
  }
}
