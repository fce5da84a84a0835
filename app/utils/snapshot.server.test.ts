import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { dropSnapshots, renewSnapshot, snapshot, snapshotTakenAt } from "./snapshot.server";

// The clock is real: a TTL of 0 ms makes every snapshot expired on the next call.

function counter() {
  let calls = 0;
  let release: (value: number) => void = () => {};
  return {
    get calls() {
      return calls;
    },
    compute: () => {
      calls++;
      return new Promise<number>((resolve) => (release = resolve));
    },
    finish: (value: number) => release(value),
  };
}

/** A snapshot of `value` under "k", computed once by `c` and kept for a minute. */
async function computed(c: ReturnType<typeof counter>, value: number) {
  const first = snapshot("k", 60_000, c.compute, { serveStale: true });
  c.finish(value);
  await first;
}

describe("snapshot", () => {
  beforeEach(() => dropSnapshots());

  it("shares one computation between requests that arrive while it runs, and keeps the result", async () => {
    const c = counter();
    const first = snapshot("k", 60_000, c.compute, { serveStale: false });
    const second = snapshot("k", 60_000, c.compute, { serveStale: false });
    c.finish(7);
    assert.deepEqual(await Promise.all([first, second]), [7, 7]);
    assert.equal(await snapshot("k", 60_000, c.compute, { serveStale: false }), 7);
    assert.equal(c.calls, 1);
  });

  it("answers an expired snapshot at once when serving stale, and the refreshed one afterwards", async () => {
    const c = counter();
    const first = snapshot("k", 0, c.compute, { serveStale: true });
    c.finish(1);
    await first;
    assert.equal(await snapshot("k", 0, c.compute, { serveStale: true }), 1, "the stale value, without waiting");
    assert.equal(c.calls, 2, "a refresh started");
    c.finish(2);
    await new Promise(setImmediate);
    assert.equal(await snapshot("k", 60_000, c.compute, { serveStale: true }), 2);
    assert.equal(c.calls, 2);
  });

  it("waits for a fresh computation when an expired snapshot may not be served stale", async () => {
    const c = counter();
    const first = snapshot("k", 0, c.compute, { serveStale: false });
    c.finish(1);
    await first;
    const second = snapshot("k", 0, c.compute, { serveStale: false });
    c.finish(2);
    assert.equal(await second, 2);
  });

  it("keeps no failed computation, and a dropped snapshot ignores a refresh that finishes late", async () => {
    await assert.rejects(snapshot("k", 60_000, () => Promise.reject(new Error("down")), { serveStale: true }));
    assert.equal(await snapshot("k", 60_000, async () => 3, { serveStale: true }), 3);

    const c = counter();
    const first = snapshot("late", 0, c.compute, { serveStale: true });
    c.finish(1);
    await first;
    void snapshot("late", 0, c.compute, { serveStale: true });
    dropSnapshots();
    c.finish(99);
    await new Promise(setImmediate);
    assert.equal(await snapshot("late", 60_000, async () => 4, { serveStale: true }), 4);
  });

  it("renews a fresh snapshot when asked, serving the last value meanwhile, and shares a renewal under way", async () => {
    const c = counter();
    await computed(c, 1);
    const renewal = renewSnapshot("k", c.compute);
    const again = renewSnapshot("k", c.compute);
    assert.equal(c.calls, 2, "one renewal for both");
    assert.equal(await snapshot("k", 60_000, c.compute, { serveStale: true }), 1);
    c.finish(2);
    await Promise.all([renewal, again]);
    assert.equal(await snapshot("k", 60_000, c.compute, { serveStale: true }), 2);
    assert.equal(c.calls, 2);
  });

  it("dates a renewed snapshot from the start of its computation, not its end", async () => {
    const c = counter();
    await computed(c, 1);
    const renewal = renewSnapshot("k", c.compute);
    const started = Date.now();
    while (Date.now() === started) await new Promise(setImmediate);
    const finished = Date.now();
    c.finish(2);
    await renewal;
    const takenAt = snapshotTakenAt("k");
    assert.ok(takenAt !== null && takenAt < finished, `taken at ${takenAt}, computation ended at ${finished}`);
  });

  it("shares the first computation with a renewal asked for while it runs", async () => {
    const c = counter();
    const first = snapshot("k", 60_000, c.compute, { serveStale: true });
    const renewal = renewSnapshot("k", c.compute);
    c.finish(1);
    await Promise.all([first, renewal]);
    assert.equal(c.calls, 1);
  });
});
