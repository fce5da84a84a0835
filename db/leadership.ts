import { hostname } from "node:os";
import pg from "pg";
import type { DbConnection } from "./client.js";

// One instance at a time leads the background work (scheduled checks, the rollback banner's
// evaluation); every instance reads what the leader stored. Leadership is a session advisory lock
// on a direct session of its own: PostgreSQL releases it the moment that session ends (the
// process stopped or died, or the network dropped it), and the next instance to ask takes it.
// Every instance also holds a shared lock for as long as it runs, so any of them can count the
// instances by looking at pg_locks.
//
// The broadcaster's cycles have a lead of their own (a second lock), taken by whichever
// broadcaster asks first, in a console or run alone (`npm run broadcaster`): the leader lists and
// stamps the queue, the others deliver the same query's answer to their own clients without
// stamping it again.
//
// The embedded engine has one process: it always leads. Behind a transaction pooler without a
// direct URL there is no session to hold a lock on: every instance leads, as before.

/** Two-key advisory locks: (namespace, which). */
const LOCK_NAMESPACE = 1_398_361_412; // "SYMD"
const INSTANCE_LOCK = 1;

/** What a lead is for: its lock, the work it names in the log, and whether its holders count as instances. */
export const LEADS = {
  background: { lock: 2, work: "the scheduled checks and the banner evaluation", countsInstances: true },
  broadcast: { lock: 3, work: "the broadcast cycles (listing and stamping the queue)", countsInstances: false },
} as const;
export type LeadKind = keyof typeof LEADS;

/** How often a follower asks for the lead (the longest a dead leader's work waits). */
export const LEADERSHIP_POLL_MS = 2_000;
const RETRY_MAX_MS = 10_000;

export interface LeadershipStatus {
  instanceId: string;
  mode: "lock" | "single process" | "every instance (no direct session)";
  leader: boolean;
  /** Instances holding the shared lock at the last look (this one included); null when unknown. */
  instances: number | null;
  connected: boolean;
}

export interface Leadership {
  readonly instanceId: string;
  isLeader(): boolean;
  status(): LeadershipStatus;
  /** Resolves once the first look has been taken (connected and counted, or failed). */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function defaultInstanceId(port?: number): string {
  return `${hostname()}:${process.pid}${port ? `:${port}` : ""}`;
}

export function startLeadership(conn: DbConnection, instanceId: string, kind: LeadKind = "background"): Leadership {
  const lead = LEADS[kind];
  if (!conn.sessionUrl) {
    const mode = conn.engineLabel.startsWith("embedded") ? "single process" : "every instance (no direct session)";
    const status: LeadershipStatus = {
      instanceId,
      mode,
      leader: true,
      instances: mode === "single process" ? 1 : null,
      connected: true,
    };
    return {
      instanceId,
      isLeader: () => true,
      status: () => ({ ...status }),
      ready: Promise.resolve(),
      close: async () => {},
    };
  }
  const url = conn.sessionUrl;
  const status: LeadershipStatus = { instanceId, mode: "lock", leader: false, instances: null, connected: false };
  let client: pg.Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let retryMs = LEADERSHIP_POLL_MS;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const dropSession = (from: pg.Client) => {
    if (client !== from) return;
    client = null;
    if (status.leader) console.log(`[leadership] ${instanceId} lost the lead (session ended)`);
    status.leader = false;
    status.connected = false;
    from.end().catch(() => {});
  };

  const round = async () => {
    if (!client) {
      const next = new pg.Client({ connectionString: url, keepAlive: true, connectionTimeoutMillis: 5_000 });
      next.on("error", () => dropSession(next));
      next.on("end", () => dropSession(next));
      client = next;
      await next.connect();
      await next.query("select set_config('application_name', $1, false)", [`symbol-desk ${instanceId}`]);
      if (lead.countsInstances)
        await next.query("select pg_advisory_lock_shared($1, $2)", [LOCK_NAMESPACE, INSTANCE_LOCK]);
      status.connected = true;
    }
    const session = client;
    if (!status.leader) {
      const { rows } = await session.query<{ got: boolean }>("select pg_try_advisory_lock($1, $2) as got", [
        LOCK_NAMESPACE,
        lead.lock,
      ]);
      if (rows[0]!.got) {
        status.leader = true;
        console.log(`[leadership] ${instanceId} leads ${lead.work}`);
      }
    }
    if (!lead.countsInstances) return;
    const { rows } = await session.query<{ n: number }>(
      `select count(*)::int as n from pg_locks
        where locktype = 'advisory' and granted and mode = 'ShareLock' and objsubid = 2
          and classid = $1 and objid = $2 and database = (select oid from pg_database where datname = current_database())`,
      [LOCK_NAMESPACE, INSTANCE_LOCK],
    );
    status.instances = rows[0]!.n;
  };

  const loop = async () => {
    try {
      await round();
      retryMs = LEADERSHIP_POLL_MS;
    } catch (error) {
      if (client) dropSession(client);
      if (!closed) console.error(`[leadership] ${error instanceof Error ? error.message : String(error)}`);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    }
    markReady();
    if (!closed) timer = setTimeout(() => void loop(), retryMs).unref();
  };
  void loop();

  return {
    instanceId,
    isLeader: () => status.leader,
    status: () => ({ ...status }),
    ready,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = null;
      status.leader = false;
      // Ending the session releases both locks at once.
      await current?.end().catch(() => {});
    },
  };
}

export class StartRefusedError extends Error {
  override name = "StartRefusedError";
}

/**
 * Several instances, or any instance behind a pooler, must share one SESSION_SECRET: a secret
 * generated per instance would make every other instance's sessions invalid.
 */
export function assertSharedSecret(conn: DbConnection, leadership: Leadership, secretConfigured: boolean): void {
  if (secretConfigured) return;
  const { pooled } = conn.topology();
  const instances = leadership.status().instances ?? 1;
  if (pooled || instances > 1) {
    const why = pooled
      ? "DATABASE_URL leads to a connection pooler, so this is meant to be one of several instances"
      : `${instances - 1} other instance(s) of Symbol Desk already use this database`;
    throw new StartRefusedError(
      `Refusing to start without SESSION_SECRET: ${why}. Each instance would sign sessions with a secret of ` +
        "its own and sign-ins would work on one instance only. Set the same SESSION_SECRET on every instance.",
    );
  }
}
