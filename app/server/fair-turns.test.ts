import assert from "node:assert/strict";
import { describe, it } from "node:test";
import v8 from "node:v8";
import vm from "node:vm";
import { createFairTurns } from "./fair-turns";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("fair turns of the event loop", () => {
  it("starts at most N tasks in one turn and the rest on later turns, first come first served", async () => {
    const inTurn = createFairTurns(3);
    const started: number[] = [];
    for (let i = 1; i <= 8; i++) inTurn(() => started.push(i));
    assert.deepEqual(started, [1, 2, 3], "the first three start at once");
    await nextTurn();
    assert.deepEqual(started, [1, 2, 3, 4, 5, 6]);
    await nextTurn();
    assert.deepEqual(started, [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("puts a task that arrives while others wait behind them", async () => {
    const inTurn = createFairTurns(2);
    const started: string[] = [];
    for (const name of ["a", "b", "c", "d", "e"]) inTurn(() => started.push(name));
    await nextTurn();
    assert.deepEqual(started, ["a", "b", "c", "d"]);
    // "e" still waits; a task arriving now must not jump ahead of it.
    inTurn(() => started.push("f"));
    assert.deepEqual(started, ["a", "b", "c", "d"]);
    await nextTurn();
    assert.deepEqual(started, ["a", "b", "c", "d", "e", "f"]);
  });

  it("gives the next turn its full allowance after a turn that had nothing waiting", async () => {
    const inTurn = createFairTurns(2);
    const started: number[] = [];
    inTurn(() => started.push(1));
    inTurn(() => started.push(2));
    await nextTurn();
    inTurn(() => started.push(3));
    inTurn(() => started.push(4));
    assert.deepEqual(started, [1, 2, 3, 4], "two start at once in the new turn");
    inTurn(() => started.push(5));
    assert.deepEqual(started, [1, 2, 3, 4]);
    await nextTurn();
    assert.deepEqual(started, [1, 2, 3, 4, 5]);
  });

  it("lets go of each task as it starts, while the queue never empties", async () => {
    // What a thousand keep-alive clients do: each sends its next request as soon as answered,
    // so something always waits. Each task refers to its answer, as a request's task refers to
    // its request and response, and nothing else does once it has run: a started task still held
    // would keep its answer alive through the young generation's collections.
    v8.setFlagsFromString("--expose-gc");
    const collectGarbage = vm.runInNewContext("gc") as () => void;
    const inTurn = createFairTurns(16);
    const answers: { ref: WeakRef<object>; started: boolean }[] = [];
    let started = 0;
    const client = () => {
      const answer = { body: new Array(64).fill(started) };
      const entry = { ref: new WeakRef(answer), started: false };
      answers.push(entry);
      inTurn(() => {
        started++;
        entry.started = true;
        if (answer.body.length > 0 && started < 20_000) setImmediate(client);
      });
    };
    for (let i = 0; i < 200; i++) client();
    while (started < 10_000) await nextTurn();
    collectGarbage();
    const alive = (wanted: boolean) => answers.filter((a) => a.started === wanted && a.ref.deref() !== undefined);
    assert.ok(alive(false).length > 16, "the load keeps tasks waiting while the started ones are counted");
    assert.equal(alive(true).length, 0, "no started task is held");
    while (started < 20_000) await nextTurn();
  });

  it("runs every one of many tasks exactly once, in order", async () => {
    const inTurn = createFairTurns(16);
    const started: number[] = [];
    for (let i = 0; i < 1000; i++) inTurn(() => started.push(i));
    for (let turn = 0; turn < 100 && started.length < 1000; turn++) await nextTurn();
    assert.deepEqual(
      started,
      Array.from({ length: 1000 }, (_, i) => i),
    );
  });
});
