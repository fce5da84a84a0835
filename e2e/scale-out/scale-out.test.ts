import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { type DbConnection, openDatabase } from "../../db/client.js";
import { migrateUp } from "../../db/migrator.js";
import { issueApiToken } from "../../db/repositories/api-tokens.js";
import { listPreferencesForEditing, preferencesStamp } from "../../db/repositories/preferences-admin.js";
import { createStaffUser } from "../../db/repositories/staff.js";
import { loadDefaultData } from "../../db/seed/default-data.js";
import { loadDemoData } from "../../db/seed/demo-data.js";
import { signInBuckets, signInWait } from "../../db/security/throttle.js";
import { ADMIN_URL, createServerDatabase } from "../../db/test/engines.js";
import { eventually } from "../../db/test/eventually.js";
import { type PgBouncer, startPgBouncer } from "../../db/test/topology/pgbouncer.js";
import { ensureReplicationAllowed, type StreamingReplica, startReplica } from "../../db/test/topology/replica.js";
import { TestClient } from "../../app/server/ws-test-client.js";
import { type RunningServer, runAppExpectingExit, startApp } from "../bench/servers.js";

// Scale-out for real, on this machine: Debian's PgBouncer in transaction mode in front of the
// PostgreSQL server, a streaming replica of that server, and two instances of the built app
// (A and B) with DATABASE_URL at the pooler, DATABASE_DIRECT_URL at the server and
// DATABASE_REPLICA_URL at the replica. `npm run test:scale-out` builds first. A third instance (C)
// comes and goes where a test needs different settings.

const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3700);
const INTERVAL_HOURS = 0.001; // 3.6 s between scheduled runs
const INTERVAL_MS = INTERVAL_HOURS * 3600_000;
const PASSWORD = "scale-out-password-long-enough";

describe("several instances behind PgBouncer, with a streaming replica", { timeout: 600_000 }, () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let bouncer: PgBouncer | undefined;
  let replica: StreamingReplica | undefined;
  let conn: DbConnection;
  const servers: Record<"A" | "B" | "C", RunningServer | undefined> = { A: undefined, B: undefined, C: undefined };
  const users: { id: string; token: string }[] = [];
  let staffCookie = "";
  let throttledEmail = "";
  let env: Record<string, string> = {};

  type Instance = keyof typeof servers;
  const url = (which: Instance) => servers[which]!.url;
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

  before(async () => {
    if (await ensureReplicationAllowed(ADMIN_URL)) {
      console.log("[scale-out] added a replication entry for 127.0.0.1 to the server's pg_hba.conf and reloaded it");
    }
    database = await createServerDatabase("sd_scaleout");
    conn = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
    await migrateUp(conn.db, { actor: "scale-out" });
    await loadDefaultData(conn.db);
    await loadDemoData(conn.db, { symbols: 60, users: 3, preferences: 6, seed: "scale-out" });
    const rows = await conn.db.selectFrom("users").select("id").orderBy("id").limit(3).execute();
    for (const { id } of rows) users.push({ id, token: (await issueApiToken(conn.db, id, "scale-out")).token });
    const email = `operator-${randomBytes(4).toString("hex")}@scale-out.test`;
    await createStaffUser(conn.db, { email, displayName: "Scale Out", role: "operator", password: PASSWORD });
    throttledEmail = `guessed-${randomBytes(4).toString("hex")}@scale-out.test`;
    await createStaffUser(conn.db, {
      email: throttledEmail,
      displayName: "Guessed",
      role: "viewer",
      password: PASSWORD,
    });

    bouncer = await startPgBouncer({ poolSize: 5 });
    replica = await startReplica(ADMIN_URL);
    env = {
      DATABASE_URL: bouncer.through(database.url),
      DATABASE_DIRECT_URL: database.url,
      DATABASE_REPLICA_URL: replica.on(database.url),
      // The replica is paused on purpose below: a generous bound keeps it in use meanwhile.
      REPLICA_MAX_LAG_SECONDS: "120",
      DATABASE_POOL_SIZE: "4",
      SESSION_SECRET: randomBytes(24).toString("hex"),
      CHECK_INTERVAL_HOURS: String(INTERVAL_HOURS),
    };
    [servers.A, servers.B] = await Promise.all([startApp(PORT_BASE + 1, env), startApp(PORT_BASE + 2, env)]);
    const signIn = await fetch(`${url("A")}/login`, {
      method: "POST",
      body: new URLSearchParams({ email, password: PASSWORD }),
      headers: { Origin: url("A") },
      redirect: "manual",
    });
    staffCookie = signIn.headers.get("set-cookie")?.split(";")[0] ?? "";
    assert.ok(staffCookie, `sign-in answered ${signIn.status}`);
  });

  after(async () => {
    await Promise.all([servers.A?.stop(), servers.B?.stop(), servers.C?.stop()]);
    await replica?.stop();
    await bouncer?.stop();
    await conn?.close();
    await database?.drop();
  });

  it("shows a default changed through A on B's API within 2 s, both through the pooler", async () => {
    const btc = await conn.db
      .selectFrom("symbols")
      .select(["id", "version"])
      .where("ticker", "=", "BTCUSDT")
      .executeTakeFirstOrThrow();
    assert.ok((await defaultTickers("B")).includes("BTCUSDT"));
    const edit = (value: boolean, version: number) =>
      api("A", `/symbols/${btc.id}`, {
        method: "POST",
        headers: { Cookie: staffCookie, Origin: url("A") },
        body: new URLSearchParams({
          intent: "default",
          value: String(value),
          // Confirmed, as the page does: the change moves the default count off nine.
          confirm: "yes",
          version: String(version),
          redirectTo: "/",
        }),
        redirect: "manual",
      });
    const started = Date.now();
    assert.equal((await edit(false, btc.version)).status, 302);
    await eventually(async () => !(await defaultTickers("B")).includes("BTCUSDT"), "BTC gone from B's defaults", {
      timeoutMs: 2_000,
    });
    console.log(`[scale-out] B's defaults changed ${Date.now() - started} ms after A's edit was sent`);
    assert.equal((await edit(true, btc.version + 1)).status, 302);
    await eventually(async () => (await defaultTickers("B")).includes("BTCUSDT"), "BTC back on B", {
      timeoutMs: 2_000,
    });
  });

  it("throttles an account whose wrong sign-ins were spread over A and B, on both", async () => {
    const signIn = (which: Instance, password: string) =>
      fetch(`${url(which)}/login`, {
        method: "POST",
        body: new URLSearchParams({ email: throttledEmail, password }),
        headers: { Origin: url(which) },
        redirect: "manual",
      });
    const account = signInBuckets(throttledEmail, "").filter((b) => b.kind === "account");
    const waitNow = () => signInWait(conn.db, account);
    // Wrong passwords, A and B in turn. Five are free, then each counted one delays the next try
    // (1 s, 2 s, 4 s): a try inside the delay is refused by either instance with 429 and not
    // counted, so after a refusal the next try waits for the delay to pass. Were the count kept
    // per process, each instance would have seen half of them and none would throttle.
    const COUNTED = 8;
    let counted = 0;
    let tries = 0;
    const refusedBy = new Set<Instance>();
    while (counted < COUNTED) {
      const which: Instance = tries++ % 2 === 0 ? "A" : "B";
      const answer = await signIn(which, `wrong-password-${tries}`);
      if (answer.status === 400) {
        counted++;
        continue;
      }
      assert.equal(answer.status, 429, `try ${tries} on ${which}`);
      assert.ok(Number(answer.headers.get("retry-after")) >= 1, "a 429 says how long to wait");
      refusedBy.add(which);
      await eventually(async () => (await waitNow()) === 0, "the sign-in delay to pass", {
        timeoutMs: 15_000,
        everyMs: 100,
      });
    }
    console.log(`[scale-out] ${tries} wrong sign-ins, ${counted} counted, refused by ${[...refusedBy].join(" and ")}`);
    // The last counted failure set a 4 s delay: the right password is refused on both instances.
    for (const which of ["A", "B"] as const) {
      const answer = await signIn(which, PASSWORD);
      assert.equal(answer.status, 429, `the right password on ${which} while throttled`);
      assert.ok(Number(answer.headers.get("retry-after")) >= 1);
      assert.match(await answer.text(), /Too many failed sign-in attempts/);
    }
    const row = await conn.db
      .selectFrom("sign_in_throttle")
      .select("failures")
      .where("key", "=", account[0]!.key)
      .executeTakeFirstOrThrow();
    assert.equal(row.failures, COUNTED, "every instance counted into the same row");
  });

  it("stamps the broadcast queue once per cycle across both instances, while both send ticks", async () => {
    // Counts the statements that stamp `last_broadcast_at` (one per cycle of a stamping broadcaster).
    await sql`create table stamp_statements (at timestamptz not null default clock_timestamp())`.execute(conn.db);
    await sql`create function count_stamp_statement() returns trigger language plpgsql as $$
      begin insert into stamp_statements default values; return null; end $$`.execute(conn.db);
    await sql`create trigger count_stamp_statement after update of last_broadcast_at on symbols
      for each statement execute function count_stamp_statement()`.execute(conn.db);
    const clients: TestClient[] = [];
    try {
      for (const which of ["A", "B"] as const) {
        clients.push(await TestClient.open(`${url(which).replace("http", "ws")}/ws/symbols`));
      }
      for (const client of clients) await client.next((m) => m.type === "ticks", "ticks", { timeoutMs: 10_000 });
      const WINDOW_S = 5;
      const from = (await sql<{ at: Date }>`select clock_timestamp() as at`.execute(conn.db)).rows[0]!.at;
      const statements = async () =>
        (
          await sql<{ n: number; spans: boolean }>`
            select count(*) filter (where at < ${from}::timestamptz + make_interval(secs => ${WINDOW_S}))::int as n,
                   coalesce(max(at) >= ${from}::timestamptz + make_interval(secs => ${WINDOW_S}), false) as spans
              from stamp_statements where at >= ${from}`.execute(conn.db)
        ).rows[0]!;
      await eventually(async () => (await statements()).spans, `stamps for ${WINDOW_S} s`, {
        timeoutMs: 20_000,
        everyMs: 250,
      });
      const { n } = await statements();
      console.log(`[scale-out] ${n} stamping statements in ${WINDOW_S} s with two instances (1 s cycles)`);
      // One leader at one cycle a second: about five; two broadcasters stamping would make about ten.
      assert.ok(n >= WINDOW_S - 2 && n <= WINDOW_S + 1, `${n} stamping statements in ${WINDOW_S} s`);
      for (const client of clients) {
        const from = client.messages.length;
        await client.next((m) => m.type === "ticks", "ticks after the window", { from, timeoutMs: 5_000 });
      }
      // /performance says which instance's broadcaster stamps: exactly one of the two.
      const leads = await Promise.all(
        (["A", "B"] as const).map(async (which) =>
          /this instance(?:&#x27;|')s broadcaster leads/.test(
            await (await api(which, "/performance", { headers: { Cookie: staffCookie } })).text(),
          ),
        ),
      );
      assert.equal(leads.filter(Boolean).length, 1, `broadcast lead on A, B: ${leads.join(", ")}`);
    } finally {
      for (const client of clients) client.close();
      await sql`drop trigger count_stamp_statement on symbols`.execute(conn.db);
      await sql`drop function count_stamp_statement()`.execute(conn.db);
      await sql`drop table stamp_statements`.execute(conn.db);
    }
  });

  it("runs a scheduled check once per interval on the leader only, and hands over when the leader is killed", async () => {
    const runs = async () =>
      (
        await sql<{ actor: string; started_at: Date }>`
          select actor, started_at from check_runs where trigger = 'schedule' order by started_at`.execute(conn.db)
      ).rows;
    await eventually(async () => (await runs()).length >= 3, "three scheduled runs", {
      timeoutMs: 30_000,
      everyMs: 200,
    });
    const first = await runs();
    const leaders = new Set(first.map((r) => r.actor));
    assert.equal(leaders.size, 1, `runs by ${[...leaders].join(", ")}`);
    for (let i = 1; i < first.length; i++) {
      const gap = first[i]!.started_at.getTime() - first[i - 1]!.started_at.getTime();
      assert.ok(gap >= INTERVAL_MS * 0.85, `two runs ${gap} ms apart`);
    }
    const leaderActor = [...leaders][0]!;
    const leader = leaderActor.endsWith(`:${PORT_BASE + 1}`) ? "A" : "B";
    const follower = leader === "A" ? "B" : "A";
    const performance = async (which: "A" | "B") =>
      (await api(which, "/performance", { headers: { Cookie: staffCookie } })).text();
    assert.match(await performance(leader), /this instance leads/);
    assert.match(await performance(follower), /another instance leads/);

    // A crash, not a clean stop: nothing of the leader's runs to let go of the lead.
    await servers[leader]!.stop("SIGKILL");
    servers[leader] = undefined;
    const stoppedAt = new Date();
    await eventually(
      async () => (await runs()).some((r) => r.started_at > stoppedAt && r.actor !== leaderActor),
      "a scheduled run by the other instance",
      { timeoutMs: 20_000, everyMs: 200 },
    );
    assert.match(await performance(follower), /this instance leads/);
    // Start the stopped instance again for the tests that follow; it now follows.
    servers[leader] = await startApp(PORT_BASE + (leader === "A" ? 1 : 2), env);
  });

  it("refuses to start an instance without SESSION_SECRET, behind the pooler or beside other instances", async () => {
    const withoutSecret = { ...env, SESSION_SECRET: "" };
    const [pooled, direct] = await Promise.all([
      runAppExpectingExit(PORT_BASE + 3, withoutSecret),
      runAppExpectingExit(PORT_BASE + 4, { ...withoutSecret, DATABASE_URL: database.url }),
    ]);
    for (const [what, run] of [
      ["behind the pooler", pooled],
      ["beside A and B", direct],
    ] as const) {
      assert.equal(run.code, 2, `${what}: exit code`);
      assert.match(run.output, /Refusing to start without SESSION_SECRET/, what);
    }
    assert.match(pooled.output, /leads to a connection pooler/);
    assert.match(direct.output, /other instance\(s\) of Symbol Desk already use this database/);
  });

  it("reads the API from the replica, while a user's API write and a staff edit read back at once", async () => {
    const [u1, u2] = users as [(typeof users)[0], (typeof users)[0]];
    // The replica has everything so far, then stops replaying: what is written next is on the primary only.
    await eventually(async () => (await visibleTickers("B", u2.id, bearer(u2.token))).length > 1, "u2's list");
    await replica!.pauseReplay();
    try {
      const before = await visibleTickers("B", u2.id, bearer(u2.token));
      const hiddenBySql = before[0]!;
      await sql`update user_dashboard_preferences p set is_visible = false, updated_at = now() from symbols s
        where s.id = p.symbol_id and p.user_id = ${u2.id}::uuid and s.ticker = ${hiddenBySql}`.execute(conn.db);
      // Nobody of the app wrote it: both instances answer from the replica, which has not seen it.
      assert.ok((await visibleTickers("B", u2.id, bearer(u2.token))).includes(hiddenBySql), "B reads the replica");
      assert.ok((await visibleTickers("A", u2.id, bearer(u2.token))).includes(hiddenBySql), "A reads the replica");

      // A user's own write through A reads back at once, through A and through B.
      const mine = await visibleTickers("A", u1.id, bearer(u1.token));
      const extra = await conn.db
        .selectFrom("symbols")
        .select(["id", "ticker"])
        .where("is_active", "=", true)
        .where("ticker", "not in", mine.length ? mine : [""])
        .where("id", "not in", (q) =>
          q.selectFrom("user_dashboard_preferences").select("symbol_id").where("user_id", "=", u1.id),
        )
        .orderBy("ticker")
        .limit(1)
        .executeTakeFirstOrThrow();
      const added = await api("A", `/api/users/${u1.id}/symbols`, {
        method: "POST",
        headers: { ...bearer(u1.token), "Content-Type": "application/json" },
        body: JSON.stringify({ symbolId: extra.id }),
      });
      assert.equal(added.status, 201, await added.clone().text());
      assert.ok((await visibleTickers("A", u1.id, bearer(u1.token))).includes(extra.ticker), "A reads its own write");
      assert.ok((await visibleTickers("B", u1.id, bearer(u1.token))).includes(extra.ticker), "B reads A's write");

      // A staff member's support edit through A: their read of that user, through B, shows it.
      const rows = await listPreferencesForEditing(conn.db, u2.id);
      const target = rows.find((r) => r.is_visible && r.ticker !== hiddenBySql)!;
      const form = new URLSearchParams({ stamp: preferencesStamp(rows), nojs: "1" });
      for (const row of rows) {
        form.append("items", row.id);
        if (row.is_pinned) form.set(`pinned:${row.id}`, "on");
        if (row.is_visible && row.id !== target.id) form.set(`visible:${row.id}`, "on");
      }
      const saved = await api("A", `/users/${u2.id}/preview`, {
        method: "POST",
        headers: { Cookie: staffCookie, Origin: url("A") },
        body: form,
        redirect: "manual",
      });
      assert.equal(saved.status, 302, await saved.clone().text());
      const afterEdit = await visibleTickers("B", u2.id, { Cookie: staffCookie });
      assert.ok(!afterEdit.includes(target.ticker), "the staff member reads their edit back through B");
      assert.ok(!afterEdit.includes(hiddenBySql), "and, from the primary, the earlier change too");
    } finally {
      await replica!.resumeReplay();
    }
  });

  it("reads from the primary while the replica lags beyond REPLICA_MAX_LAG_SECONDS, and shows the lag", async () => {
    // C allows one second of lag; A keeps the generous bound of the other tests.
    servers.C = await startApp(PORT_BASE + 3, { ...env, REPLICA_MAX_LAG_SECONDS: "1" });
    const u3 = users[2]!;
    const page = async (which: Instance, path: "/performance" | "/readiness") =>
      (await api(which, path, { headers: { Cookie: staffCookie } })).text();
    const replicaRow = (html: string) =>
      /Read replica[\s\S]*?>(healthy|lagging|down|starting)<[\s\S]*?lag (\d+\.\d+) s/.exec(html);
    try {
      await eventually(
        async () => replicaRow(await page("C", "/performance"))?.[1] === "healthy",
        "C's replica healthy",
        {
          timeoutMs: 15_000,
          everyMs: 250,
        },
      );
      const visible = await sql<{ ticker: string }>`select s.ticker from user_dashboard_preferences p
        join symbols s on s.id = p.symbol_id where p.user_id = ${u3.id}::uuid and p.is_visible order by s.ticker limit 1`.execute(
        conn.db,
      );
      const hidden = visible.rows[0]!.ticker;
      await replica!.pauseReplay();
      try {
        await sql`update user_dashboard_preferences p set is_visible = false, updated_at = now() from symbols s
          where s.id = p.symbol_id and p.user_id = ${u3.id}::uuid and s.ticker = ${hidden}`.execute(conn.db);
        // Once C measures more than a second of lag, it answers from the primary, which has the change.
        await eventually(
          async () => !(await visibleTickers("C", u3.id, bearer(u3.token))).includes(hidden),
          "C to answer from the primary",
          { timeoutMs: 15_000, everyMs: 250 },
        );
        assert.ok((await visibleTickers("A", u3.id, bearer(u3.token))).includes(hidden), "A still reads the replica");
        for (const path of ["/performance", "/readiness"] as const) {
          const row = replicaRow(await page("C", path));
          assert.equal(row?.[1], "lagging", `${path} on C`);
          assert.ok(Number(row[2]) > 1, `${path} on C shows the lag: ${row[2]} s`);
          assert.equal(replicaRow(await page("A", path))?.[1], "healthy", `${path} on A (bound 120 s)`);
        }
      } finally {
        await replica!.resumeReplay();
      }
      await eventually(async () => replicaRow(await page("C", "/performance"))?.[1] === "healthy", "C caught up", {
        timeoutMs: 15_000,
        everyMs: 250,
      });
    } finally {
      await servers.C.stop();
      servers.C = undefined;
    }
  });

  it("keeps answering the API from the primary with the replica stopped", async () => {
    const [u1] = users as [(typeof users)[0]];
    await replica!.stop();
    for (const which of ["A", "B"] as const) {
      assert.ok((await visibleTickers(which, u1.id, bearer(u1.token))).length > 0);
      const search = await api(which, "/api/symbols/search?q=BTC");
      assert.equal(search.status, 200);
      assert.equal((await defaultTickers(which)).length > 0, true);
    }
    await eventually(
      async () =>
        /Read replica[\s\S]*?down/.test(
          await (await api("B", "/performance", { headers: { Cookie: staffCookie } })).text(),
        ),
      "B's /performance to show the replica down",
    );
  });
});
