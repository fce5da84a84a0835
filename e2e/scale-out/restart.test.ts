import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { type RawBuilder, sql } from "kysely";
import { type DbConnection, openDatabase } from "../../db/client.js";
import { migrateUp } from "../../db/migrator.js";
import { createStaffUser } from "../../db/repositories/staff.js";
import { loadDefaultData } from "../../db/seed/default-data.js";
import { readSharedResult } from "../../db/shared-results.js";
import { createServerDatabase } from "../../db/test/engines.js";
import { eventually } from "../../db/test/eventually.js";
import { settledOrWaitingForALock } from "../../db/test/statement-hook.js";
import { staffCookie } from "../bench/auth.js";
import { type StartedServer, startApp } from "../bench/servers.js";
import { serveArgs } from "../support/serve-command.js";
import { PORT_BASE } from "./topology.js";

// A deploy stops an instance with SIGTERM: it stops taking connections, answers the requests it
// has in flight and lets its background work and its broadcaster's cycle in flight end, and only
// then closes its database and exits, so none of their clients gets a 503, no background refresh
// fails against a closed pool, and the broadcaster's providers are left marked disconnected.

const PORT = PORT_BASE + 40;

/** Whether the server still takes new connections. */
const listening = () =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(PORT, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

describe("an instance stopped with work in flight", { timeout: 180_000 }, () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let conn: DbConnection;
  let server: StartedServer;

  /** The instance, without its broadcaster unless `broadcaster` says so. */
  const start = (broadcaster = false) =>
    startApp(PORT, {
      DATABASE_URL: database.url,
      SESSION_SECRET: "restart-secret",
      BROADCASTER_IN_PROCESS: String(broadcaster),
    });

  /** Locks `table` in a transaction of the test's own until the answered function is called. */
  const holdTable = (table: "staff_users" | "symbols") =>
    holdRows(sql`lock table ${sql.table(table)} in access exclusive mode`);

  /** The running instance's exit code, once it exits. */
  const exitCode = () => new Promise<number | null>((resolve) => server.process.once("exit", resolve));

  /** SIGTERM, then, once the instance takes no new connections, the test's transaction let go. */
  const stopThenRelease = async (release: () => Promise<void>) => {
    server.process.kill("SIGTERM");
    await eventually(async () => !(await listening()), "the server to stop taking connections");
    await release();
  };

  /** Runs `locking` in a transaction of the test's own, kept open until the answered function is called. */
  const holdRows = async (locking: RawBuilder<unknown>) => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = conn.db.transaction().execute(async (trx) => {
      await locking.execute(trx);
      locked();
      await released;
    });
    await Promise.race([isLocked, holding]);
    return async () => {
      release();
      await holding;
    };
  };

  before(async () => {
    database = await createServerDatabase("sd_restart");
    conn = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
    await migrateUp(conn.db, { actor: "restart" });
    // Somebody to sign in as: with nobody, every page leads to first-run setup.
    await createStaffUser(conn.db, {
      email: "admin@restart.test",
      displayName: "Restart",
      role: "admin",
      password: "restart-password-long-enough",
    });
    server = await start();
  });
  after(async () => {
    await server?.stop("SIGKILL");
    await conn?.close();
    await database?.drop();
  });

  it("answers a sign-in that was waiting on the database when SIGTERM came, then exits", async () => {
    const exited = exitCode();
    // The test holds staff_users, so the sign-in waits in its credentials check, in flight.
    const release = await holdTable("staff_users");
    const signIn = fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: "nobody@restart.test", password: "not-the-password-at-all" }),
      redirect: "manual",
    }).then(async (response) => ({ status: response.status, text: await response.text() }));
    await settledOrWaitingForALock(conn.db, signIn);

    await stopThenRelease(release);

    const answer = await signIn;
    assert.equal(answer.status, 400, answer.text.slice(0, 300));
    assert.match(answer.text, /The email or password is incorrect/);
    assert.equal(await exited, 0);
  });

  it("lets a background refresh that was waiting on the database end before it closes the database", async () => {
    await server.stop("SIGKILL");
    server = await start();
    const exited = exitCode();
    // The test holds symbols: the rollback banner's next background evaluation (every 20 s) waits
    // in its counts over the catalogue, with the integrity checks, the critical queries' timings
    // and the store of its result to go once it is let through.
    const release = await holdTable("symbols");
    await waitingForALock("%as orphans%", "the banner's background evaluation waiting for the symbols table");

    server.process.kill("SIGTERM");
    await eventually(async () => !(await listening()), "the server to stop taking connections");
    const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(conn.db);
    await release();

    assert.equal(await exited, 0);
    const stored = await readSharedResult(conn.db, "readiness:triggers");
    assert.ok(stored && stored.computedAt > rows[0]!.now, "the evaluation let through was stored before the exit");
    assert.doesNotMatch(server.errors(), /destroyed|could not|failed/i, server.errors());
  });

  it("lets the broadcaster's cycle in flight and its last writes end before it closes the database", async () => {
    await server.stop("SIGKILL");
    // Symbols with providers: the broadcaster follows each listed symbol's provider and marks it
    // connected, then disconnected as it stops.
    await loadDefaultData(conn.db);
    const { rows: followed } = await sql<{ id: string }>`
      select distinct data_provider_id as id from symbols
      where is_active and is_tracked and data_provider_id is not null order by 1`.execute(conn.db);
    const following = followed.map((row) => row.id);
    assert.ok(following.length > 0);
    const disconnected = async () => {
      const { rows } = await sql<{ id: string }>`
        select id from data_providers where id = any(${following}) and connection_status = 'disconnected'`.execute(
        conn.db,
      );
      return rows.length;
    };
    server = await start(true);
    const exited = exitCode();
    await eventually(
      async () => (await instanceRows()) > 0 && (await disconnected()) === 0,
      "a broadcast cycle that published its figures, with the providers it follows marked connected",
      { timeoutMs: 30_000, everyMs: 100 },
    );
    // The test holds the broadcaster's row: its next cycle waits in publishing its figures, with
    // its stop (the providers marked disconnected, the row removed) still to come. A row lock
    // holds no reader: the background work goes on.
    const release = await holdRows(sql`select 1 from broadcaster_instances for update`);
    await waitingForALock("%insert into broadcaster_instances%", "the broadcaster's next cycle waiting to publish");

    await stopThenRelease(release);

    assert.equal(await exited, 0);
    assert.equal(await disconnected(), following.length, "every provider it followed marked disconnected");
    assert.equal(await instanceRows(), 0, "the broadcaster removed its row");
    assert.doesNotMatch(server.errors(), /destroyed|not saved|not published|failed/i, server.errors());
  });

  it("ends a kept-alive connection that keeps asking, and exits well within its grace", async () => {
    await server.stop("SIGKILL");
    server = await start();
    const exited = exitCode();
    // An open page's banner asks again after each answer, over one kept-alive connection. Its
    // connection was in use when the signal came (a sign-in the test holds): the drain once waited
    // for it until the grace (10 s) ran out, then closed the database under its next question.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ask = (method: "GET" | "POST", body?: string) =>
      new Promise<number>((resolve, reject) => {
        const headers = body ? { "Content-Type": "application/x-www-form-urlencoded" } : {};
        http
          .request(`${server.url}/login`, { method, headers, agent }, (res) =>
            res.resume().on("end", () => resolve(res.statusCode!)),
          )
          .on("error", reject)
          .end(body);
      });
    const release = await holdTable("staff_users");
    const signIn = new URLSearchParams({ email: "nobody@restart.test", password: "not-the-password-at-all" });
    const statuses: number[] = [];
    const asking = (async () => {
      statuses.push(await ask("POST", signIn.toString()));
      // Until the server refuses the connection: it has stopped.
      for (;;) statuses.push(await ask("GET"));
    })().catch(() => {});
    await settledOrWaitingForALock(conn.db, asking);

    const signalledAt = Date.now();
    await stopThenRelease(release);
    assert.equal(await exited, 0);
    const exitedAfterMs = Date.now() - signalledAt;
    await asking;
    agent.destroy();
    assert.ok(exitedAfterMs < 5_000, `exited ${exitedAfterMs} ms after SIGTERM`);
    assert.equal(statuses[0], 400, "the sign-in in flight was answered");
    assert.ok(
      statuses.slice(1).every((status) => status === 200),
      statuses.join(", "),
    );
    assert.doesNotMatch(server.errors(), /destroyed|could not|failed/i, server.errors());
  });

  it("lets a page whose client has gone away end its work before it closes the database", async () => {
    await server.stop("SIGKILL");
    server = await start();
    const exited = exitCode();
    const cookie = await staffCookie(conn.db, server.url);
    // The test holds symbols: the page's loader waits in the rollback banner's default count,
    // with the rest of the page's queries to go. Its client leaves meanwhile.
    const release = await holdTable("symbols");
    const page = http.get(`${server.url}/symbols`, { headers: { cookie } });
    const answered = new Promise<void>((resolve) =>
      page.once("error", () => resolve()).once("response", () => resolve()),
    );
    await settledOrWaitingForALock(conn.db, answered);
    page.destroy();

    await stopThenRelease(release);
    assert.equal(await exited, 0);
    assert.doesNotMatch(server.errors(), /destroyed|could not|failed|after calling end/i, server.errors());
  });

  it("ends at once on SIGTERM while it is still starting, before it listens", async () => {
    await server.stop("SIGKILL");
    // A fresh install evaluates the banner before it listens: with symbols held, it waits there.
    await sql`delete from symbol_desk_shared_results`.execute(conn.db);
    const release = await holdTable("symbols");
    const starting = spawn(process.execPath, serveArgs(), {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        SESSION_SECRET: "restart-secret",
        BROADCASTER_IN_PROCESS: "false",
        PORT: String(PORT),
        NODE_ENV: "production",
      },
      stdio: "ignore",
    });
    try {
      const exited = new Promise<number | null>((resolve) => starting.once("exit", resolve));
      await waitingForALock("%as orphans%", "the start-up's banner evaluation waiting for the symbols table");
      assert.equal(await listening(), false);
      starting.kill("SIGTERM");
      const stillRunning = new Promise((resolve) => setTimeout(resolve, 10_000, "still running 10 s later").unref());
      assert.equal(await Promise.race([exited, stillRunning]), 0);
    } finally {
      starting.kill("SIGKILL");
      await release();
    }
  });

  /** Resolves once a session of the server's waits for a lock in a statement `like` the pattern. */
  const waitingForALock = (like: string, what: string) =>
    eventually(
      async () => {
        const { rows } = await sql<{ waiting: number }>`
          select count(*)::int as waiting from pg_stat_activity
          where wait_event_type = 'Lock' and query like ${like}`.execute(conn.db);
        return (rows[0]?.waiting ?? 0) > 0;
      },
      what,
      { timeoutMs: 30_000, everyMs: 100 },
    );

  const instanceRows = async () => {
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from broadcaster_instances`.execute(
      conn.db,
    );
    return rows[0]!.count;
  };
});
