import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { listPreferencesForEditing, preferencesStamp } from "../../db/repositories/preferences-admin.js";
import { eventually } from "../../db/test/eventually.js";
import { startApp } from "../bench/servers.js";
import { clientOf, type Instance, PORT_BASE, useScaleOut } from "./topology.js";

// Reads from the streaming replica, and the cases where the primary answers instead: one's own
// writes, a replica that lags beyond its bound, and a replica that is gone.

describe("reads from a streaming replica behind PgBouncer", { timeout: 600_000 }, () => {
  const setup = useScaleOut();
  const { url, api, bearer, visibleTickers, defaultTickers } = clientOf(setup);

  it("reads the API from the replica, while a user's API write and a staff edit read back at once", async () => {
    const [u1, u2] = setup.users as [(typeof setup.users)[0], (typeof setup.users)[0]];
    // The replica has everything so far, then stops replaying: what is written next is on the primary only.
    await eventually(async () => (await visibleTickers("B", u2.id, bearer(u2.token))).length > 1, "u2's list");
    await setup.replica.pauseReplay();
    try {
      const before = await visibleTickers("B", u2.id, bearer(u2.token));
      const hiddenBySql = before[0]!;
      await sql`update user_dashboard_preferences p set is_visible = false, updated_at = now() from symbols s
        where s.id = p.symbol_id and p.user_id = ${u2.id}::uuid and s.ticker = ${hiddenBySql}`.execute(setup.conn.db);
      // Nobody of the app wrote it: both instances answer from the replica, which has not seen it.
      assert.ok((await visibleTickers("B", u2.id, bearer(u2.token))).includes(hiddenBySql), "B reads the replica");
      assert.ok((await visibleTickers("A", u2.id, bearer(u2.token))).includes(hiddenBySql), "A reads the replica");

      // A user's own write through A reads back at once, through A and through B.
      const mine = await visibleTickers("A", u1.id, bearer(u1.token));
      const extra = await setup.conn.db
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
      const rows = await listPreferencesForEditing(setup.conn.db, u2.id);
      const target = rows.find((r) => r.is_visible && r.ticker !== hiddenBySql)!;
      const form = new URLSearchParams({ stamp: preferencesStamp(rows), nojs: "1" });
      for (const row of rows) {
        form.append("items", row.id);
        if (row.is_pinned) form.set(`pinned:${row.id}`, "on");
        if (row.is_visible && row.id !== target.id) form.set(`visible:${row.id}`, "on");
      }
      const saved = await api("A", `/users/${u2.id}/preview`, {
        method: "POST",
        headers: { Cookie: setup.staffCookie, Origin: url("A") },
        body: form,
        redirect: "manual",
      });
      assert.equal(saved.status, 302, await saved.clone().text());
      const afterEdit = await visibleTickers("B", u2.id, { Cookie: setup.staffCookie });
      assert.ok(!afterEdit.includes(target.ticker), "the staff member reads their edit back through B");
      assert.ok(!afterEdit.includes(hiddenBySql), "and, from the primary, the earlier change too");
    } finally {
      await setup.replica.resumeReplay();
    }
  });

  it("reads from the primary while the replica lags beyond REPLICA_MAX_LAG_SECONDS, and shows the lag", async () => {
    // C allows one second of lag; A keeps the generous bound of the other tests.
    setup.servers.C = await startApp(PORT_BASE + 3, { ...setup.env, REPLICA_MAX_LAG_SECONDS: "1" });
    const u3 = setup.users[2]!;
    const page = async (which: Instance, path: "/performance" | "/readiness") =>
      (await api(which, path, { headers: { Cookie: setup.staffCookie } })).text();
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
        setup.conn.db,
      );
      const hidden = visible.rows[0]!.ticker;
      await setup.replica.pauseReplay();
      try {
        await sql`update user_dashboard_preferences p set is_visible = false, updated_at = now() from symbols s
          where s.id = p.symbol_id and p.user_id = ${u3.id}::uuid and s.ticker = ${hidden}`.execute(setup.conn.db);
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
        await setup.replica.resumeReplay();
      }
      await eventually(async () => replicaRow(await page("C", "/performance"))?.[1] === "healthy", "C caught up", {
        timeoutMs: 15_000,
        everyMs: 250,
      });
    } finally {
      await setup.servers.C.stop();
      setup.servers.C = undefined;
    }
  });

  it("keeps answering the API from the primary with the replica stopped", async () => {
    const [u1] = setup.users as [(typeof setup.users)[0]];
    await setup.replica.stop();
    for (const which of ["A", "B"] as const) {
      assert.ok((await visibleTickers(which, u1.id, bearer(u1.token))).length > 0);
      const search = await api(which, "/api/symbols/search?q=BTC");
      assert.equal(search.status, 200);
      assert.equal((await defaultTickers(which)).length > 0, true);
    }
    await eventually(
      async () =>
        /Read replica[\s\S]*?down/.test(
          await (await api("B", "/performance", { headers: { Cookie: setup.staffCookie } })).text(),
        ),
      "B's /performance to show the replica down",
    );
  });
});
