import assert from "node:assert/strict";
import { before, beforeEach, test } from "node:test";
import { forEachEngine } from "#db/test/engines";
import { holdMigratorLock } from "#db/test/session-helpers";
import {
  ageSharedResult,
  forgetPageSnapshots,
  setSymbolActive,
  sharedResultStoredAt,
  spareActiveTicker,
} from "#db/test/snapshot-fixtures";
import { staffCookie, useTestDatabase } from "~/api/test-harness";
import { readSharedResult, storeSharedResult } from "#db/shared-results";
import { markSnapshotsStale, refreshDueSnapshots, SNAPSHOTS, warmPageSnapshots } from "~/utils/page-snapshots.server";
import { getLeadership } from "~/utils/instance.server";
import { getRollbackTriggers } from "~/utils/readiness.server";
import { dropSnapshots, snapshotTakenAt } from "~/utils/snapshot.server";
import { REFRESH_INTENT } from "~/utils/refresh-intent";
import * as home from "./_console._index/route";
import * as quality from "./_console.quality/route";
import * as readiness from "./_console.readiness/route";

// The staff pages read their catalogue-wide figures from stored snapshots: a change in the data
// shows only once the snapshot is retaken, by "Refresh now" (a POST, for signed-in staff only)
// or by the leader's background refresh; a GET never retakes one.

type Handler = (args: never) => unknown;
interface Snap {
  takenAt: string;
  takenBy: string;
  computedNow: boolean;
}
type Figures = { ok: true; data: { metric: string; value: number }[] } | { ok: false; message: string };

async function call(fn: Handler, path: string, cookie: Record<string, string>, form?: Record<string, string>) {
  const request = new Request(new URL(path, "http://desk.test"), {
    headers: { ...cookie, ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
    ...(form ? { method: "POST", body: new URLSearchParams(form) } : {}),
  });
  try {
    return await fn({ request, params: {}, context: {} } as never);
  } catch (thrown) {
    return thrown;
  }
}

function statusOf(outcome: unknown): number {
  if (outcome instanceof Response) return outcome.status;
  return (outcome as { init?: ResponseInit | null }).init?.status ?? 200;
}

const figure = (figures: Figures, metric: string) => {
  assert.ok(figures.ok, "the figures are readable");
  return figures.data.find((f) => f.metric === metric)?.value;
};

async function homePage(cookie: Record<string, string>) {
  return (await call(home.loader, "/", cookie)) as {
    figures: Snap & { value: Figures };
    checks: Snap & { value: { ok: boolean } };
  };
}

const storedAt = sharedResultStoredAt;

forEachEngine("stored page snapshots", ({ conn }) => {
  let viewer: Record<string, string>;
  let spareTicker: string;
  before(async () => {
    useTestDatabase(conn);
    viewer = await staffCookie(conn, "viewer", "snapshots-viewer@example.com");
    spareTicker = await spareActiveTicker(conn.db);
  });
  beforeEach(() => useTestDatabase(conn));

  const deactivateSpare = (active: boolean) => setSymbolActive(conn.db, spareTicker, active);

  test("the first load with none stored computes the figures once, stores them and says so", async () => {
    await forgetPageSnapshots(conn.db);
    const first = await homePage(viewer);
    assert.equal(first.figures.computedNow, true);
    assert.equal(first.figures.takenBy, "first page load");
    assert.ok(await storedAt(conn.db, SNAPSHOTS.figures.key), "the snapshot is stored");
    const second = await homePage(viewer);
    assert.equal(second.figures.computedNow, false);
    assert.equal(second.figures.takenAt, new Date(second.figures.takenAt).toISOString());
  });

  test("a change in the data shows on / and /quality only after Refresh now, with a new as-of time", async () => {
    const before = await homePage(viewer);
    const active = figure(before.figures.value, "active_symbols")!;
    await deactivateSpare(false);
    try {
      const stillHome = await homePage(viewer);
      assert.equal(figure(stillHome.figures.value, "active_symbols"), active, "the page shows the stored figures");
      assert.equal(stillHome.figures.takenAt, before.figures.takenAt);
      const stillQuality = (await call(quality.loader, "/quality", viewer)) as { figures: Figures };
      assert.equal(figure(stillQuality.figures, "active_symbols"), active);

      const answer = (await call(home.action, "/?index", viewer, { intent: REFRESH_INTENT })) as {
        data: { ok: boolean; message?: string };
      };
      assert.equal(statusOf(answer), 200);
      assert.equal(answer.data.ok, true, JSON.stringify(answer.data));
      assert.match(answer.data.message!, /^Refreshed at \d\d:\d\d:\d\d UTC\.$/);

      const after = await homePage(viewer);
      assert.equal(figure(after.figures.value, "active_symbols"), active - 1);
      assert.ok(after.figures.takenAt > before.figures.takenAt, "the as-of time moves on");
      assert.equal(after.figures.takenBy, "snapshots-viewer@example.com");
      assert.ok(after.checks.takenAt > before.checks.takenAt, "the check summary is retaken too");
      const afterQuality = (await call(quality.loader, "/quality", viewer)) as {
        figures: Figures;
        figuresSnapshot: Snap;
      };
      assert.equal(figure(afterQuality.figures, "active_symbols"), active - 1, "/quality reads the same snapshot");
      assert.equal(afterQuality.figuresSnapshot.takenAt, after.figures.takenAt);
    } finally {
      await deactivateSpare(true);
    }
  });

  test("Refresh now on /quality retakes the figures; its other form still runs the checks", async () => {
    const before = (await call(quality.loader, "/quality", viewer)) as { figuresSnapshot: Snap };
    const answer = await call(quality.action, "/quality", viewer, { intent: REFRESH_INTENT });
    assert.equal(statusOf(answer), 200);
    const after = (await call(quality.loader, "/quality", viewer)) as { figures: Figures; figuresSnapshot: Snap };
    assert.ok(after.figuresSnapshot.takenAt > before.figuresSnapshot.takenAt);
    const unknown = await call(quality.action, "/quality", viewer, { intent: "refresh-everything" });
    assert.equal(statusOf(unknown), 400);
  });

  test("the go/no-go board is a snapshot: its active count changes after Refresh now only", async () => {
    type Board = { snapshot: Snap; criteria: { id: string; actual: string }[] };
    const activeOf = (board: Board) => board.criteria.find((c) => c.id === "active")!.actual;
    const before = (await call(readiness.loader, "/readiness", viewer)) as Board;
    await deactivateSpare(false);
    try {
      const still = (await call(readiness.loader, "/readiness", viewer)) as Board;
      assert.equal(activeOf(still), activeOf(before));
      assert.equal(still.snapshot.takenAt, before.snapshot.takenAt);
      assert.equal(statusOf(await call(readiness.action, "/readiness", viewer, { intent: REFRESH_INTENT })), 200);
      const after = (await call(readiness.loader, "/readiness", viewer)) as Board;
      assert.equal(Number(activeOf(after)), Number(activeOf(before)) - 1);
      assert.ok(after.snapshot.takenAt > before.snapshot.takenAt);
    } finally {
      await deactivateSpare(true);
    }
  });

  test("a GET never refreshes, whatever it carries; a POST without a staff session is sent to sign in", async () => {
    const before = await storedAt(conn.db, SNAPSHOTS.figures.key);
    assert.ok(before);
    await call(home.loader, `/?index&intent=${REFRESH_INTENT}`, viewer);
    await call(quality.loader, `/quality?intent=${REFRESH_INTENT}`, viewer);
    assert.deepEqual(await storedAt(conn.db, SNAPSHOTS.figures.key), before);

    const anonymous = await call(home.action, "/?index", {}, { intent: REFRESH_INTENT });
    assert.ok(anonymous instanceof Response);
    assert.equal(anonymous.status, 302);
    assert.match(anonymous.headers.get("Location") ?? "", /^\/login/);
    const forged = await call(
      readiness.action,
      "/readiness",
      { Cookie: "__symbol_desk=forged" },
      {
        intent: REFRESH_INTENT,
      },
    );
    assert.equal(statusOf(forged), 302);
    assert.deepEqual(await storedAt(conn.db, SNAPSHOTS.figures.key), before);
  });

  test("the background refresh: a follower leaves the snapshots alone, the leader retakes what is due", async () => {
    const key = SNAPSHOTS.figures.key;
    await ageSharedResult(conn.db, key);
    const old = await storedAt(conn.db, key);
    assert.deepEqual(await refreshDueSnapshots(conn, { leader: false, instanceId: "b" }), []);
    assert.deepEqual(await storedAt(conn.db, key), old);

    const release = await holdMigratorLock(conn);
    try {
      assert.deepEqual(await refreshDueSnapshots(conn, { leader: true, instanceId: "a" }), [], "waits for a migration");
    } finally {
      await release();
    }
    const taken = await refreshDueSnapshots(conn, { leader: true, instanceId: "a" });
    assert.ok(taken.includes(key), `retaken: ${taken.join(", ")}`);
    assert.ok((await storedAt(conn.db, key))! > old!);
    assert.deepEqual(await refreshDueSnapshots(conn, { leader: true, instanceId: "a" }), [], "nothing is due");

    // A change seen by this instance (a migration step, a check run) retakes everything, leader or not.
    markSnapshotsStale();
    const all = await refreshDueSnapshots(conn, { leader: false, instanceId: "b" });
    assert.deepEqual(
      all.sort(),
      Object.values(SNAPSHOTS)
        .map((k) => k.key)
        .sort(),
    );
  });

  test("at start-up the missing snapshots are taken before any page asks; stored ones, however old, stay", async () => {
    const keys = Object.values(SNAPSHOTS)
      .map((k) => k.key)
      .sort();
    await forgetPageSnapshots(conn.db);
    assert.deepEqual((await warmPageSnapshots()).sort(), keys);
    const first = await homePage(viewer);
    assert.equal(first.figures.computedNow, false, "the first page finds them stored");
    assert.equal(first.figures.takenBy, "start-up");
    assert.equal(first.checks.takenBy, "start-up");

    // A restart with snapshots stored does not wait for them: the background loop retakes old ones.
    await ageSharedResult(conn.db, SNAPSHOTS.figures.key);
    const old = await storedAt(conn.db, SNAPSHOTS.figures.key);
    assert.deepEqual(await warmPageSnapshots(), []);
    assert.deepEqual(await storedAt(conn.db, SNAPSHOTS.figures.key), old);

    // During a migration step nothing is taken: the pages take what is missing afterwards.
    await forgetPageSnapshots(conn.db);
    const release = await holdMigratorLock(conn);
    try {
      assert.deepEqual(await warmPageSnapshots(), []);
    } finally {
      await release();
    }
    assert.equal(await storedAt(conn.db, SNAPSHOTS.figures.key), null);
  });
});

/**
 * This process leads the background work on the test's own database: a lead taken in an earlier
 * test stays with that test's database, dropped since, and a process that does not lead serves the
 * leader's stored evaluation for as long as it is fresh. Given up after the test.
 */
async function leadOnTestDatabase(): Promise<() => Promise<void>> {
  const earlier = globalThis.__symbolDeskLeadership;
  globalThis.__symbolDeskLeadership = undefined;
  await (await earlier?.catch(() => null))?.close();
  const leadership = await getLeadership();
  await leadership.ready;
  assert.equal(leadership.isLeader(), true, "this process leads on the test's database");
  return async () => {
    globalThis.__symbolDeskLeadership = undefined;
    await leadership.close();
  };
}

forEachEngine("the rollback banner after a start", ({ conn }) => {
  beforeEach(() => useTestDatabase(conn));

  const stored = { id: "orphans", title: "Stored by the leader", detail: "kept in the shared table" };

  test("serves a stored evaluation younger than the interval as fresh, without evaluating again", async () => {
    const giveUpLead = await leadOnTestDatabase();
    try {
      dropSnapshots();
      await storeSharedResult(conn.db, "readiness:triggers", [stored], "another instance");
      const storedAt = (await readSharedResult(conn.db, "readiness:triggers"))!.computedAt.getTime();
      const first = await getRollbackTriggers();
      assert.ok(first.some((t) => t.title === stored.title));
      assert.equal(snapshotTakenAt("readiness:triggers"), storedAt, "as of the stored evaluation, not expired");
    } finally {
      await giveUpLead();
    }
  });

  test("serves an older stored evaluation at once, then this process's own, as the leader", async () => {
    const giveUpLead = await leadOnTestDatabase();
    try {
      dropSnapshots();
      await storeSharedResult(conn.db, "readiness:triggers", [stored], "another instance");
      await ageSharedResult(conn.db, "readiness:triggers");
      const first = await getRollbackTriggers();
      assert.deepEqual(
        first.filter((t) => t.title === stored.title),
        [stored],
        "the first page after a start shows what the leader stored",
      );
      // Meanwhile this process evaluates the triggers itself; once done, its answer replaces the stored one.
      let current = first;
      for (let tries = 0; tries < 600 && current.some((t) => t.title === stored.title); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        current = await getRollbackTriggers();
      }
      assert.ok(!current.some((t) => t.title === stored.title), "the live evaluation took over");
    } finally {
      await giveUpLead();
    }
  });
});
