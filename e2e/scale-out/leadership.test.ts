import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { eventually } from "../../db/test/eventually.js";
import { TestClient } from "../../app/server/ws-test-client.js";
import { startApp } from "../bench/servers.js";
import { clientOf, INTERVAL_MS, PORT_BASE, useScaleOut } from "./topology.js";

// Work that must happen once, not once per instance: the broadcaster's stamps and the scheduled
// checks run on the leader only, and the lead moves when the leader dies.

describe("one leader among instances behind PgBouncer", { timeout: 600_000 }, () => {
  const setup = useScaleOut();
  const { url, api } = clientOf(setup);

  it("stamps the broadcast queue once per cycle across both instances, while both send ticks", async () => {
    // Counts the statements that stamp `last_broadcast_at` (one per cycle of a stamping broadcaster).
    await sql`create table stamp_statements (at timestamptz not null default clock_timestamp())`.execute(setup.conn.db);
    await sql`create function count_stamp_statement() returns trigger language plpgsql as $$
      begin insert into stamp_statements default values; return null; end $$`.execute(setup.conn.db);
    await sql`create trigger count_stamp_statement after update of last_broadcast_at on symbols
      for each statement execute function count_stamp_statement()`.execute(setup.conn.db);
    const clients: TestClient[] = [];
    try {
      for (const which of ["A", "B"] as const) {
        clients.push(await TestClient.open(`${url(which).replace("http", "ws")}/ws/symbols`));
      }
      for (const client of clients) await client.next((m) => m.type === "ticks", "ticks", { timeoutMs: 10_000 });
      const WINDOW_S = 5;
      const from = (await sql<{ at: Date }>`select clock_timestamp() as at`.execute(setup.conn.db)).rows[0]!.at;
      const statements = async () =>
        (
          await sql<{ n: number; spans: boolean }>`
            select count(*) filter (where at < ${from}::timestamptz + make_interval(secs => ${WINDOW_S}))::int as n,
                   coalesce(max(at) >= ${from}::timestamptz + make_interval(secs => ${WINDOW_S}), false) as spans
              from stamp_statements where at >= ${from}`.execute(setup.conn.db)
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
            await (await api(which, "/performance", { headers: { Cookie: setup.staffCookie } })).text(),
          ),
        ),
      );
      assert.equal(leads.filter(Boolean).length, 1, `broadcast lead on A, B: ${leads.join(", ")}`);
    } finally {
      for (const client of clients) client.close();
      await sql`drop trigger count_stamp_statement on symbols`.execute(setup.conn.db);
      await sql`drop function count_stamp_statement()`.execute(setup.conn.db);
      await sql`drop table stamp_statements`.execute(setup.conn.db);
    }
  });

  it("runs a scheduled check once per interval on the leader only, and hands over when the leader is killed", async () => {
    const runs = async () =>
      (
        await sql<{ actor: string; started_at: Date }>`
          select actor, started_at from check_runs where trigger = 'schedule' order by started_at`.execute(
          setup.conn.db,
        )
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
      (await api(which, "/performance", { headers: { Cookie: setup.staffCookie } })).text();
    assert.match(await performance(leader), /this instance leads/);
    assert.match(await performance(follower), /another instance leads/);

    // A crash, not a clean stop: nothing of the leader's runs to let go of the lead.
    await setup.servers[leader]!.stop("SIGKILL");
    setup.servers[leader] = undefined;
    const stoppedAt = new Date();
    await eventually(
      async () => (await runs()).some((r) => r.started_at > stoppedAt && r.actor !== leaderActor),
      "a scheduled run by the other instance",
      { timeoutMs: 20_000, everyMs: 200 },
    );
    assert.match(await performance(follower), /this instance leads/);
    // Start the stopped instance again for the tests that follow; it now follows.
    setup.servers[leader] = await startApp(PORT_BASE + (leader === "A" ? 1 : 2), setup.env);
  });
});
