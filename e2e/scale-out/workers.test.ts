import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { type DbConnection, openDatabase } from "../../db/client.js";
import { migrateUp } from "../../db/migrator.js";
import { createStaffUser } from "../../db/repositories/staff.js";
import { createServerDatabase } from "../../db/test/engines.js";
import { eventually } from "../../db/test/eventually.js";
import { type RunningServer, runAppExpectingExit, startApp } from "../bench/servers.js";
import { PORT_BASE } from "./topology.js";

// SERVER_WORKERS=2: two worker processes on one port, each an instance of its own, under a
// primary that replaces a worker that dies and stops them all on SIGTERM.

const PORT = PORT_BASE + 41;
const EMAIL = "admin@workers.test";
const PASSWORD = "workers-password-long-enough";

const workerPids = (primary: number): number[] =>
  readFileSync(`/proc/${primary}/task/${primary}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);

/** A GET on a connection of its own, so that each is handed to the next worker. */
const getOnNewConnection = (path: string, cookie: string) =>
  new Promise<number>((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port: PORT, path, agent: false, headers: { cookie } }, (response) => {
      response.resume();
      response.once("end", () => resolve(response.statusCode ?? 0));
    });
    request.once("error", reject);
  });

describe("a server of two workers", { timeout: 240_000 }, () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let conn: DbConnection;
  let server: RunningServer;
  let cookie: string;

  /** The process ids of the instances holding a leadership session on the database. */
  const instancePids = async () => {
    const { rows } = await sql<{ name: string }>`
      select application_name as name from pg_stat_activity
      where datname = current_database() and application_name like 'symbol-desk %'`.execute(conn.db);
    return [...new Set(rows.map((row) => Number(row.name.split(":").at(-2))))].sort();
  };

  before(async () => {
    database = await createServerDatabase("sd_workers");
    conn = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
    await migrateUp(conn.db, { actor: "workers" });
    await createStaffUser(conn.db, { email: EMAIL, displayName: "Workers", role: "admin", password: PASSWORD });
    // No SESSION_SECRET: the workers must still agree on one, or the second refuses to start.
    server = await startApp(PORT, {
      DATABASE_URL: database.url,
      SESSION_SECRET: "",
      SERVER_WORKERS: "2",
      BROADCASTER_IN_PROCESS: "false",
    });
    const signIn = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: EMAIL, password: PASSWORD }),
      redirect: "manual",
    });
    cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
  });
  after(async () => {
    if (server?.process.exitCode === null)
      for (const pid of workerPids(server.process.pid!)) process.kill(pid, "SIGKILL");
    await server?.stop("SIGKILL");
    await conn?.close();
    await database?.drop();
  });

  it("runs two instances that accept one sign-in on every connection", async () => {
    const workers = workerPids(server.process.pid!);
    assert.equal(workers.length, 2);
    await eventually(async () => (await instancePids()).join() === [...workers].sort().join(), "both instances up");
    const statuses = await Promise.all(Array.from({ length: 8 }, () => getOnNewConnection("/symbols", cookie)));
    assert.deepEqual(statuses, Array(8).fill(200));
  });

  it("replaces a worker that dies and keeps serving", async () => {
    const [victim, survivor] = workerPids(server.process.pid!);
    process.kill(victim!, "SIGKILL");
    await eventually(() => {
      const now = workerPids(server.process.pid!);
      return now.length === 2 && now.includes(survivor!) && !now.includes(victim!);
    }, "a new worker in the dead one's place");
    // A worker's start (the build loaded, the database opened) took over 5 s on a busy CI machine.
    await eventually(async () => (await instancePids()).length === 2, "the new worker to take part as an instance", {
      timeoutMs: 30_000,
    });
    const statuses = await Promise.all(Array.from({ length: 4 }, () => getOnNewConnection("/symbols", cookie)));
    assert.deepEqual(statuses, Array(4).fill(200));
  });

  it("stops every worker on SIGTERM and exits 0", async () => {
    const workers = workerPids(server.process.pid!);
    const exited = new Promise<number | null>((resolve) => server.process.once("exit", resolve));
    server.process.kill("SIGTERM");
    assert.equal(await exited, 0);
    for (const pid of workers) assert.throws(() => process.kill(pid, 0), { code: "ESRCH" });
  });

  it("refuses the embedded database, which one process alone may open", async () => {
    const { code, output } = await runAppExpectingExit(PORT + 1, { DATABASE_URL: "", SERVER_WORKERS: "2" });
    assert.equal(code, 1);
    assert.match(output, /SERVER_WORKERS=2 needs DATABASE_URL/);
  });

  it("stops every worker when one cannot start, instead of starting it again and again", async () => {
    const occupier = net.createServer();
    await new Promise<void>((resolve) => occupier.listen(PORT + 1, resolve));
    try {
      const { code, output } = await runAppExpectingExit(PORT + 1, {
        DATABASE_URL: database.url,
        SESSION_SECRET: "workers-secret",
        SERVER_WORKERS: "2",
        BROADCASTER_IN_PROCESS: "false",
      });
      assert.notEqual(code, 0);
      assert.match(output, /a worker stopped before it listened/);
    } finally {
      occupier.close();
    }
  });
});
