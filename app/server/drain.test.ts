import assert from "node:assert/strict";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { createConsoleServer } from "./console-server";

// The real server factory on a real port; requests to /held wait until the test lets them go.

async function startServer() {
  let release!: () => void;
  let held = new Promise<void>((resolve) => (release = resolve));
  let heldSeen = 0;
  const server = createConsoleServer({
    isApi: () => false,
    maxInProgress: 4,
    maxPerClient: 4,
    trustProxy: 0,
    sessionCookies: ["__symbol_desk"],
    handle: async (request) => {
      if (new URL(request.url).pathname === "/held") {
        heldSeen++;
        await held;
      }
      return new Response("ok", { headers: { "Content-Type": "text/plain" } });
    },
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
  return {
    server,
    port,
    heldSeen: () => heldSeen,
    release: () => {
      release();
      held = new Promise<void>((resolve) => (release = resolve));
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

/** Resolves true if the drain ends within `ms`, false if it is still going. */
function drainedWithin(draining: Promise<void>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)));
  return Promise.race([draining.then(() => true), late]).finally(() => clearTimeout(timer));
}

/** A raw connection whose GET /held the server is answering: it waits until the test lets it go. */
async function heldRequest(port: number, heldSeen: () => number) {
  const socket = net.connect(port, "127.0.0.1");
  let received = "";
  socket.setEncoding("utf8").on("data", (chunk: string) => (received += chunk));
  const ended = new Promise((resolve) => socket.on("close", resolve));
  socket.write("GET /held HTTP/1.1\r\nHost: localhost\r\n\r\n");
  while (heldSeen() < 1) await tick();
  return { socket, ended, received: () => received };
}

describe("a server that stops", () => {
  it("answers the request in flight and the next one on its connection, and closes that connection", async () => {
    const { server, port, heldSeen, release } = await startServer();
    const { socket, ended, received } = await heldRequest(port, heldSeen);

    const draining = server.drain();
    socket.write("GET /next HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert.equal(await drainedWithin(draining, 300), false, "the request in flight holds the drain");
    release();
    assert.equal(await drainedWithin(draining, 3_000), true, "then the server stops");
    await ended;

    const answers = received().split(/(?=HTTP\/1\.1 )/);
    assert.equal(answers.length, 2);
    assert.match(answers[0]!, /^HTTP\/1\.1 200 .*\r\nConnection: keep-alive\r\n/s);
    assert.match(answers[1]!, /^HTTP\/1\.1 200 .*\r\nConnection: close\r\n/s);
  });

  it("closes a kept-alive connection as soon as the answer in flight is written", async () => {
    const { server, port, heldSeen, release } = await startServer();
    const { ended, received } = await heldRequest(port, heldSeen);

    const draining = server.drain();
    release();
    // Not after Node's keep-alive timeout (5 s) of a connection nobody uses any more.
    assert.equal(await drainedWithin(draining, 1_000), true, "the server stopped within 1 s");
    await ended;
    assert.match(received(), /^HTTP\/1\.1 200 /);
  });

  it("waits for the work of a request whose client has gone away", async () => {
    const { server, port, heldSeen, release } = await startServer();
    (await heldRequest(port, heldSeen)).socket.destroy();

    // Its handler is still at work (on the database, in the console): the database stays open for it.
    const draining = server.drain();
    assert.equal(await drainedWithin(draining, 300), false, "the work in progress holds the drain");
    release();
    assert.equal(await drainedWithin(draining, 3_000), true, "then the server stops");
  });

  it("stops while a client keeps asking over a kept-alive connection, as an open page's banner does", async () => {
    const { server, port, heldSeen, release } = await startServer();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<number>((resolve, reject) =>
        http
          .get({ host: "127.0.0.1", port, path, agent }, (res) =>
            res.resume().on("end", () => resolve(res.statusCode!)),
          )
          .on("error", reject),
      );
    const statuses: number[] = [];
    let pollingEnded: NodeJS.ErrnoException | undefined;
    const polling = (async () => {
      try {
        for (let n = 0; ; n++) {
          // The fourth ask is still being answered when the server stops.
          statuses.push(await get(n === 3 ? "/held" : "/poll"));
          await tick();
        }
      } catch (error) {
        pollingEnded = error as NodeJS.ErrnoException;
      }
    })();
    while (heldSeen() < 1) await tick();

    const draining = server.drain();
    release();
    assert.equal(await drainedWithin(draining, 3_000), true, "the server stopped within 3 s");
    await polling;
    agent.destroy();
    assert.ok(statuses.length >= 4 && statuses.every((status) => status === 200), `answers: ${statuses.join(", ")}`);
    assert.ok(pollingEnded && ["ECONNREFUSED", "ECONNRESET"].includes(pollingEnded.code!), String(pollingEnded));
  });
});
