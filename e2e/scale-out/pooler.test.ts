import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signInBuckets, signInWait } from "../../db/security/throttle.js";
import { eventually } from "../../db/test/eventually.js";
import { runAppExpectingExit } from "../bench/servers.js";
import { clientOf, type Instance, PASSWORD, PORT_BASE, useScaleOut } from "./topology.js";

// Two instances behind PgBouncer in transaction mode share what one process alone would keep:
// a staff edit's announcement, the sign-in throttle, and the session secret.

describe(
  "shares edits, throttling and the session secret across instances behind PgBouncer",
  { timeout: 600_000 },
  () => {
    const setup = useScaleOut();
    const { url, api, defaultTickers } = clientOf(setup);

    it("shows a default changed through A on B's API within 2 s, both through the pooler", async () => {
      const btc = await setup.conn.db
        .selectFrom("symbols")
        .select(["id", "version"])
        .where("ticker", "=", "BTCUSDT")
        .executeTakeFirstOrThrow();
      assert.ok((await defaultTickers("B")).includes("BTCUSDT"));
      const edit = (value: boolean, version: number) =>
        api("A", `/symbols/${btc.id}`, {
          method: "POST",
          headers: { Cookie: setup.staffCookie, Origin: url("A") },
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
          body: new URLSearchParams({ email: setup.throttledEmail, password }),
          headers: { Origin: url(which) },
          redirect: "manual",
        });
      const account = signInBuckets(setup.throttledEmail, "").filter((b) => b.kind === "account");
      const waitNow = () => signInWait(setup.conn.db, account);
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
      console.log(
        `[scale-out] ${tries} wrong sign-ins, ${counted} counted, refused by ${[...refusedBy].join(" and ")}`,
      );
      // The last counted failure set a 4 s delay: the right password is refused on both instances.
      for (const which of ["A", "B"] as const) {
        const answer = await signIn(which, PASSWORD);
        assert.equal(answer.status, 429, `the right password on ${which} while throttled`);
        assert.ok(Number(answer.headers.get("retry-after")) >= 1);
        assert.match(await answer.text(), /Too many failed sign-in attempts/);
      }
      const row = await setup.conn.db
        .selectFrom("sign_in_throttle")
        .select("failures")
        .where("key", "=", account[0]!.key)
        .executeTakeFirstOrThrow();
      assert.equal(row.failures, COUNTED, "every instance counted into the same row");
    });

    it("refuses to start an instance without SESSION_SECRET, behind the pooler or beside other instances", async () => {
      const withoutSecret = { ...setup.env, SESSION_SECRET: "" };
      const [pooled, direct] = await Promise.all([
        runAppExpectingExit(PORT_BASE + 3, withoutSecret),
        runAppExpectingExit(PORT_BASE + 4, { ...withoutSecret, DATABASE_URL: setup.database.url }),
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
  },
);
