import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { eventually } from "#db/test/eventually";
import { createConsoleServer, type RequestContext } from "./console-server";

// The real server factory on a real port, with a handler that stands in for Remix: GET answers
// at once, POST reads its body first. Slow clients are raw sockets that trickle.

interface Seen {
  request: Request;
  context: RequestContext;
  body: string;
}

function startServer(overrides: Partial<Parameters<typeof createConsoleServer>[0]> = {}) {
  const seen: Seen[] = [];
  let gate: Promise<void> = Promise.resolve();
  const server = createConsoleServer({
    isApi: (pathname) => pathname.startsWith("/api/"),
    maxInProgress: 4,
    maxPerClient: 2,
    trustProxy: 0,
    sessionCookies: ["__symbol_desk"],
    headersTimeoutMs: 1_000,
    requestTimeoutMs: 2_000,
    handle: async (request, context) => {
      const body = request.method === "GET" ? "" : await request.text();
      seen.push({ request, context, body });
      if (new URL(request.url).pathname === "/held") await gate;
      return new Response(`<p>${request.method} ${new URL(request.url).pathname}</p>`, {
        headers: { "Content-Type": "text/html; charset=utf-8" },
      });
    },
    ...overrides,
  });
  return {
    server,
    seen,
    hold: () => {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return release;
    },
    listen: () =>
      new Promise<number>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
      ),
  };
}

function get(port: number, path: string, options: { localAddress?: string; timeoutMs?: number } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, agent: false, localAddress: options.localAddress }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.setTimeout(options.timeoutMs ?? 5_000, () => req.destroy(new Error(`GET ${path} got no answer in time`)));
    req.on("error", reject);
  });
}

/** A raw connection that sends `head` and then nothing, or one byte every `trickleMs`. */
function slowClient(port: number, head: string, trickleMs = 200) {
  const socket = net.connect(port, "127.0.0.1");
  let received = "";
  let closedAt = 0;
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (received += chunk));
  socket.on("error", () => {});
  socket.on("close", () => (closedAt = Date.now()));
  socket.write(head);
  const timer = setInterval(() => socket.writable && socket.write("a"), trickleMs);
  socket.on("close", () => clearInterval(timer));
  return {
    socket,
    get received() {
      return received;
    },
    get closed() {
      return closedAt > 0;
    },
    end: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

const slowLogin = (contentLength: number) =>
  `POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ` +
  `${contentLength}\r\n\r\n`;

describe("the console's HTTP server under slow and greedy clients", () => {
  const subject = startServer();
  let port = 0;
  before(async () => {
    port = await subject.listen();
  });
  after(async () => {
    subject.server.closeAllConnections();
    await new Promise((resolve) => subject.server.close(resolve));
  });

  it("keeps answering a GET while 200 clients trickle their sign-in bodies", async () => {
    const slow = Array.from({ length: 200 }, () => slowLogin(100_000)).map((head) => slowClient(port, head, 500));
    try {
      await eventually(() => slow.every((c) => c.socket.readyState === "open"), "the slow clients to connect");
      // Answered at all is the point: were the slow bodies holding the request slots, the GET would
      // wait for the 30 s request timeout to free one. No tighter bound: a busy machine is slow.
      const answer = await get(port, "/api/symbols/defaults", { timeoutMs: 10_000 });
      assert.equal(answer.status, 200);
      // None of them reached the handler: their bodies never arrived.
      assert.equal(subject.seen.filter((s) => s.request.method === "POST").length, 0);
    } finally {
      for (const client of slow) client.end();
    }
  });

  it("drops a client that trickles its body past the request timeout", async () => {
    const client = slowClient(port, slowLogin(10_000), 100);
    await eventually(() => client.closed, "the server to drop the trickling client", { timeoutMs: 6_000 });
    assert.match(client.received, /^HTTP\/1\.1 408|^$/);
  });

  it("drops a client that never finishes its headers", async () => {
    const client = slowClient(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", 100_000);
    await eventually(() => client.closed, "the server to drop the client", { timeoutMs: 4_000 });
  });

  it("refuses a declared body over the limit with 413 before any of it is sent", async () => {
    const client = slowClient(port, slowLogin(100_000_000), 100_000);
    await eventually(() => client.received.length > 0, "an answer");
    assert.match(client.received, /^HTTP\/1\.1 413/);
    await eventually(() => client.closed, "the connection to be closed");
    client.end();
  });

  it("refuses a chunked body with 413 as soon as it grows past the limit", async () => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("error", () => {});
    socket.write(
      "POST /symbols HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " +
        "application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    const chunk = "a".repeat(16 * 1024);
    let sent = 0;
    // Keeps sending until the server answers: it must not wait for the end of the body.
    while (received === "" && sent < 10_000_000 && !socket.destroyed) {
      socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      sent += chunk.length;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    socket.destroy();
    assert.match(received, /^HTTP\/1\.1 413/);
    assert.ok(sent < 200 * 1024, `answered after ${sent} bytes`);
    assert.equal(subject.seen.filter((s) => new URL(s.request.url).pathname === "/symbols").length, 0);
  });

  it("serves other addresses while one address holds every place", async () => {
    const release = subject.hold();
    const greedy = Array.from({ length: 12 }, () => get(port, "/held", { localAddress: "127.0.0.2" }));
    try {
      await eventually(
        () => subject.seen.filter((s) => new URL(s.request.url).pathname === "/held").length === 4,
        "the greedy address to take every place",
      );
      // One greedy request finishing frees a place; it goes to the other address, not the next greedy one.
      const other = get(port, "/other", { localAddress: "127.0.0.3" });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const before = subject.seen.length;
      release();
      const answer = await other;
      assert.equal(answer.status, 200);
      const order = subject.seen.slice(before).map((s) => new URL(s.request.url).pathname);
      assert.equal(order[0], "/other", `served after the first place freed: ${order.join(", ")}`);
      assert.equal(subject.seen.at(-1)!.context.clientAddress.startsWith("127.0.0."), true);
    } finally {
      release();
      await Promise.all(greedy);
    }
  });
});

describe("answers written straight from the socket", () => {
  // libuv accepts one new connection per turn of the event loop, so a turn that answers every
  // busy connection at once keeps new ones waiting in the accept queue, seconds under load.
  it("take turns like every other request: at most 16 start in one turn of the event loop", async () => {
    let turn = 0;
    let counting = true;
    const nextTurn = () => {
      turn++;
      if (counting) setImmediate(nextTurn);
    };
    const startedInTurn = new Map<number, number>();
    const subject = startServer({
      direct: (_target, _req, res) => {
        startedInTurn.set(turn, (startedInTurn.get(turn) ?? 0) + 1);
        res.end("ok");
        return Promise.resolve();
      },
    });
    const port = await subject.listen();
    const sockets = await Promise.all(
      Array.from(
        { length: 64 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(port, "127.0.0.1", () => resolve(socket));
          }),
      ),
    );
    try {
      // The server accepts one connection per turn: every one is accepted before any request is sent.
      await eventually(
        () => new Promise<boolean>((resolve) => subject.server.getConnections((_error, n) => resolve(n === 64))),
        "the server to accept every connection",
      );
      nextTurn();
      const answered = sockets.map((socket) => new Promise<void>((resolve) => socket.once("data", () => resolve())));
      for (const socket of sockets) socket.write("GET /api/symbols/defaults HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      await Promise.all(answered);
      const counts = [...startedInTurn.values()];
      assert.equal(
        counts.reduce((sum, n) => sum + n, 0),
        64,
      );
      assert.ok(Math.max(...counts) <= 16, `answers started in one turn: ${counts.join(", ")}`);
    } finally {
      counting = false;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => subject.server.close(resolve));
    }
  });

  it("are reported once each, whether written before the handler returned (true) or later (a promise)", async () => {
    const reported: string[] = [];
    const subject = startServer({
      direct: (target, _req, res) => {
        if (target === "/api/now") {
          res.end("now");
          return true;
        }
        if (target === "/api/later")
          return new Promise<void>((resolve) => setImmediate(() => res.end("later", resolve)));
        return null;
      },
      onAnswered: (req, res) => reported.push(`${req.url} ${res.statusCode}`),
    });
    const port = await subject.listen();
    try {
      for (const path of ["/api/now", "/api/later", "/api/usual"]) await get(port, path);
      await eventually(() => reported.length === 3, "every answer to be reported");
      assert.deepEqual(reported.sort(), ["/api/later 200", "/api/now 200", "/api/usual 200"]);
      const usual = subject.seen.map((s) => new URL(s.request.url).pathname);
      assert.deepEqual(usual, ["/api/usual"], "only the declined one took the usual path");
    } finally {
      await new Promise((resolve) => subject.server.close(resolve));
    }
  });
});
