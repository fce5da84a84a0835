import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { eventually } from "#db/test/eventually";
import { createConcurrencyLimit } from "./concurrency-limit";

function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("createConcurrencyLimit", () => {
  it("runs at most `max` tasks at once and starts the waiting ones in arrival order", async () => {
    const limit = createConcurrencyLimit(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    gates.forEach((gate, i) =>
      limit.run(
        async () => {
          started.push(i);
          await gate.promise;
        },
        () => false,
      ),
    );
    assert.deepEqual(started, [0, 1]);
    assert.equal(limit.waiting, 2);
    gates[1]!.resolve();
    await gates[1]!.promise;
    await new Promise(setImmediate);
    assert.deepEqual(started, [0, 1, 2]);
    gates[0]!.resolve();
    await new Promise(setImmediate);
    assert.deepEqual(started, [0, 1, 2, 3]);
    gates[2]!.resolve();
    gates[3]!.resolve();
    await new Promise(setImmediate);
    assert.equal(limit.active, 0);
  });

  it("never starts a task whose client went away while it waited, and a failing task frees its place", async () => {
    const limit = createConcurrencyLimit(1);
    const gate = deferred();
    const started: string[] = [];
    limit.run(
      async () => {
        started.push("first");
        await gate.promise;
        throw new Error("the handler failed");
      },
      () => false,
    );
    limit.run(
      async () => void started.push("abandoned"),
      () => true,
    );
    limit.run(
      async () => void started.push("waiting"),
      () => false,
    );
    gate.resolve();
    await new Promise(setImmediate);
    await new Promise(setImmediate);
    assert.deepEqual(started, ["first", "waiting"]);
  });

  it("is settled once the tasks in progress and the ones waiting behind them have run", async () => {
    const limit = createConcurrencyLimit(1);
    await limit.settled();
    const gates = [deferred(), deferred()];
    const finished: number[] = [];
    gates.forEach((gate, i) =>
      limit.run(
        async () => {
          await gate.promise;
          finished.push(i);
        },
        () => false,
      ),
    );
    let settled = false;
    const settling = limit.settled().then(() => (settled = true));
    gates[0]!.resolve();
    await new Promise(setImmediate);
    assert.deepEqual([finished, settled], [[0], false]);
    gates[1]!.resolve();
    await settling;
    assert.deepEqual(finished, [0, 1]);
  });

  it("sees a real client's disconnect as abandonment (res.destroyed)", async () => {
    const limit = createConcurrencyLimit(1);
    const busy = deferred();
    let servedSecond = false;
    let secondResponse: http.ServerResponse | null = null;
    const server = http.createServer((req, res) => {
      if (req.url === "/busy") {
        limit.run(
          async () => {
            await busy.promise;
            res.end("done");
          },
          () => res.destroyed,
        );
        return;
      }
      secondResponse = res;
      limit.run(
        async () => {
          servedSecond = true;
          res.end("second");
        },
        () => res.destroyed,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const first = fetch(`http://127.0.0.1:${port}/busy`);
      const controller = new AbortController();
      const second = fetch(`http://127.0.0.1:${port}/second`, { signal: controller.signal }).catch(() => null);
      await eventually(() => limit.waiting === 1, "the second request to wait for a place");
      controller.abort();
      assert.equal(await second, null);
      await eventually(() => secondResponse?.destroyed === true, "the server to see the second client go");
      busy.resolve();
      assert.equal(await (await first).text(), "done");
      // The place was freed when the first task settled, before its body reached us.
      assert.equal(limit.waiting, 0);
      assert.equal(limit.active, 0);
      assert.equal(servedSecond, false);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
