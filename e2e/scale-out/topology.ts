import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before } from "node:test";
import { type DbConnection, openDatabase } from "../../db/client.js";
import { migrateUp } from "../../db/migrator.js";
import { issueApiToken } from "../../db/repositories/api-tokens.js";
import { createStaffUser } from "../../db/repositories/staff.js";
import { loadDefaultData } from "../../db/seed/default-data.js";
import { loadDemoData } from "../../db/seed/demo-data.js";
import { ADMIN_URL, createServerDatabase } from "../../db/test/engines.js";
import { type PgBouncer, startPgBouncer } from "../../db/test/topology/pgbouncer.js";
import { ensureReplicationAllowed, type StreamingReplica, startReplica } from "../../db/test/topology/replica.js";
import { type RunningServer, startApp } from "../bench/servers.js";

// Scale-out for real, on this machine: Debian's PgBouncer in transaction mode in front of the
// PostgreSQL server, a streaming replica of that server, and two instances of the built app
// (A and B) with DATABASE_URL at the pooler, DATABASE_DIRECT_URL at the server and
// DATABASE_REPLICA_URL at the replica. `npm run test:scale-out` builds first and runs the files of
// this folder one after another (they share the ports). A third instance (C) comes and goes where
// a test needs different settings. Each file sets the whole of it up for its own tests.

export const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3700);
export const INTERVAL_HOURS = 0.001; // 3.6 s between scheduled runs
export const INTERVAL_MS = INTERVAL_HOURS * 3600_000;
export const PASSWORD = "scale-out-password-long-enough";

export type Instance = "A" | "B" | "C";

export interface ScaleOut {
  database: Awaited<ReturnType<typeof createServerDatabase>>;
  bouncer: PgBouncer;
  replica: StreamingReplica;
  conn: DbConnection;
  servers: Record<Instance, RunningServer | undefined>;
  /** End users with an API token each. */
  users: { id: string; token: string }[];
  /** An operator signed in through A. */
  staffCookie: string;
  /** A viewer whose sign-ins a test may throttle. */
  throttledEmail: string;
  /** The environment of A and B. */
  env: Record<string, string>;
}

/** Sets up the pooler, the replica and instances A and B before the file's tests, and ends them after. */
export function useScaleOut(): ScaleOut {
  const setup = { servers: { A: undefined, B: undefined, C: undefined }, users: [] } as unknown as ScaleOut;
  before(async () => {
    if (await ensureReplicationAllowed(ADMIN_URL)) {
      console.log("[scale-out] added a replication entry for 127.0.0.1 to the server's pg_hba.conf and reloaded it");
    }
    setup.database = await createServerDatabase("sd_scaleout");
    const conn = (setup.conn = await openDatabase({ databaseUrl: setup.database.url, poolSize: 2 }));
    await migrateUp(conn.db, { actor: "scale-out" });
    await loadDefaultData(conn.db);
    await loadDemoData(conn.db, { symbols: 60, users: 3, preferences: 6, seed: "scale-out" });
    const rows = await conn.db.selectFrom("users").select("id").orderBy("id").limit(3).execute();
    for (const { id } of rows) setup.users.push({ id, token: (await issueApiToken(conn.db, id, "scale-out")).token });
    const email = `operator-${randomBytes(4).toString("hex")}@scale-out.test`;
    await createStaffUser(conn.db, { email, displayName: "Scale Out", role: "operator", password: PASSWORD });
    setup.throttledEmail = `guessed-${randomBytes(4).toString("hex")}@scale-out.test`;
    await createStaffUser(conn.db, {
      email: setup.throttledEmail,
      displayName: "Guessed",
      role: "viewer",
      password: PASSWORD,
    });

    setup.bouncer = await startPgBouncer({ poolSize: 5 });
    setup.replica = await startReplica(ADMIN_URL);
    setup.env = {
      DATABASE_URL: setup.bouncer.through(setup.database.url),
      DATABASE_DIRECT_URL: setup.database.url,
      DATABASE_REPLICA_URL: setup.replica.on(setup.database.url),
      // The replica is paused on purpose in some tests: a generous bound keeps it in use meanwhile.
      REPLICA_MAX_LAG_SECONDS: "120",
      DATABASE_POOL_SIZE: "4",
      SESSION_SECRET: randomBytes(24).toString("hex"),
      CHECK_INTERVAL_HOURS: String(INTERVAL_HOURS),
    };
    [setup.servers.A, setup.servers.B] = await Promise.all([
      startApp(PORT_BASE + 1, setup.env),
      startApp(PORT_BASE + 2, setup.env),
    ]);
    const signIn = await fetch(`${setup.servers.A.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email, password: PASSWORD }),
      headers: { Origin: setup.servers.A.url },
      redirect: "manual",
    });
    setup.staffCookie = signIn.headers.get("set-cookie")?.split(";")[0] ?? "";
    assert.ok(setup.staffCookie, `sign-in answered ${signIn.status}`);
  });

  after(async () => {
    const { servers } = setup;
    await Promise.all([servers.A?.stop(), servers.B?.stop(), servers.C?.stop()]);
    await setup.replica?.stop();
    await setup.bouncer?.stop();
    await setup.conn?.close();
    await setup.database?.drop();
  });
  return setup;
}

/** Requests to the instances, and the answers the tests compare. */
export function clientOf(setup: ScaleOut) {
  const url = (which: Instance) => setup.servers[which]!.url;
  const api = async (which: Instance, path: string, init: RequestInit = {}) => {
    try {
      return await fetch(`${url(which)}${path}`, init);
    } catch (error) {
      // A kept-alive socket the server closed as it was reused: a GET is asked once more.
      if ((init.method ?? "GET") !== "GET") throw error;
      return fetch(`${url(which)}${path}`, init);
    }
  };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const visibleTickers = async (which: Instance, userId: string, headers: Record<string, string>) => {
    const response = await api(which, `/api/users/${userId}/symbols`, { headers });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { symbols: { ticker: string }[] };
    return body.symbols.map((s) => s.ticker);
  };
  const defaultTickers = async (which: Instance) =>
    ((await (await api(which, "/api/symbols/defaults")).json()) as { symbols: { ticker: string }[] }).symbols.map(
      (s) => s.ticker,
    );
  return { url, api, bearer, visibleTickers, defaultTickers };
}
