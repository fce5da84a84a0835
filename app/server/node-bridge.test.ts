import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { createGunzip, gunzipSync, gzipSync } from "node:zlib";
import { eventually, withinDeadline } from "../../db/test/eventually";
import { BadRequestError, sendFetchResponse, toFetchRequest } from "./node-bridge";

// A real node:http server that converts each request with toFetchRequest and answers with
// whatever Response the test's handler gives, through sendFetchResponse.

type Handler = (request: Request) => Response | Promise<Response>;

interface Exchange {
  request: Request;
  res: http.ServerResponse;
  sent: Promise<void>;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Data with deferred parts (single fetch's text/x-script): its first part at once, the rest after `gate`. */
function dataInParts(gate: Promise<void>, rest: string[] = []): Response {
  const encode = (text: string) => new TextEncoder().encode(text);
  return new Response(
    new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encode("<p>first</p>"));
        await gate;
        for (const part of rest) controller.enqueue(encode(part));
        controller.close();
      },
    }),
    { headers: { "Content-Type": "text/x-script" } },
  );
}

const BIG = { rows: Array.from({ length: 1500 }, (_, i) => ({ id: i, ticker: `SYM${i}`, price: i * 1.5 })) };

describe("the node:http ⇄ Fetch bridge", () => {
  let server: http.Server;
  let origin = "";
  let handler: Handler = () => new Response("unset");
  const exchanges: Exchange[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const request = toFetchRequest(req);
      const sent = Promise.resolve(handler(request)).then((response) => sendFetchResponse(req, res, response));
      exchanges.push({ request, res, sent });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    exchanges.length = 0;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Raw bytes and headers as sent (fetch would decompress and hide the framing). */
  function request(path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${origin}${path}`,
        { method: options.method ?? "GET", headers: options.headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      req.on("error", reject);
      req.end();
    });
  }

  it("sends JSON in one piece with a Content-Length, never chunked", async () => {
    handler = () => Response.json({ hello: "world" }, { status: 201, headers: { "X-Custom": "yes" } });
    const answer = await request("/json");
    assert.equal(answer.status, 201);
    assert.equal(answer.headers["content-length"], String(answer.body.length));
    assert.equal(answer.headers["transfer-encoding"], undefined);
    assert.equal(answer.headers["x-custom"], "yes");
    assert.deepEqual(JSON.parse(answer.body.toString()), { hello: "world" });
  });

  it("delivers every Set-Cookie header, each as its own", async () => {
    handler = () => {
      const headers = new Headers({ "Content-Type": "text/plain" });
      headers.append("Set-Cookie", "session=abc; Path=/; HttpOnly");
      headers.append("Set-Cookie", "theme=dark; Path=/; Max-Age=60");
      return new Response("ok", { headers });
    };
    const response = await fetch(`${origin}/cookies`);
    assert.deepEqual(response.headers.getSetCookie(), [
      "session=abc; Path=/; HttpOnly",
      "theme=dark; Path=/; Max-Age=60",
    ]);
    assert.equal(await response.text(), "ok");
  });

  it("gzips a large JSON body for a client that accepts gzip, and only then", async () => {
    handler = () => Response.json(BIG);
    const zipped = await request("/big", { headers: { "Accept-Encoding": "gzip, deflate" } });
    assert.equal(zipped.headers["content-encoding"], "gzip");
    assert.match(String(zipped.headers.vary), /Accept-Encoding/);
    assert.equal(zipped.headers["content-length"], String(zipped.body.length));
    assert.ok(zipped.body.length < JSON.stringify(BIG).length / 2);
    assert.deepEqual(JSON.parse(gunzipSync(zipped.body).toString()), BIG);

    const plain = await request("/big");
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.deepEqual(JSON.parse(plain.body.toString()), BIG);
  });

  it("leaves a small JSON body uncompressed even when the client accepts gzip", async () => {
    // The API's answers are Response.json(...), which carries no Content-Length of its own.
    handler = () => Response.json({ ok: true });
    const answer = await request("/small", { headers: { "Accept-Encoding": "gzip" } });
    assert.equal(answer.headers["content-encoding"], undefined);
    assert.equal(answer.body.toString(), '{"ok":true}');
  });

  it("leaves a small body that declares its Content-Length uncompressed", async () => {
    handler = () =>
      new Response('{"ok":true}', { headers: { "Content-Type": "application/json", "Content-Length": "11" } });
    const answer = await request("/small", { headers: { "Accept-Encoding": "gzip" } });
    assert.equal(answer.headers["content-encoding"], undefined);
    assert.equal(answer.body.toString(), '{"ok":true}');
  });

  it("sends an HTML document in one piece with a Content-Length, never chunked", async () => {
    handler = () => new Response("<p>whole</p>", { headers: { "Content-Type": "text/html; charset=utf-8" } });
    const answer = await request("/document");
    assert.equal(answer.headers["content-length"], String(answer.body.length));
    assert.equal(answer.headers["transfer-encoding"], undefined);
    assert.equal(answer.body.toString(), "<p>whole</p>");
  });

  it("streams deferred data: the first part arrives before the second is even produced", async () => {
    for (const encoding of [undefined, "gzip"]) {
      const release = deferred();
      handler = () => dataInParts(release.promise, ["<p>second</p>"]);
      const parts: string[] = [];
      const received = new Promise<{ headers: http.IncomingHttpHeaders }>((resolve, reject) => {
        const req = http.request(
          `${origin}/page`,
          { agent: false, headers: encoding ? { "Accept-Encoding": encoding } : {} },
          (res) => {
            const body = res.headers["content-encoding"] === "gzip" ? res.pipe(createGunzip()) : res;
            body.on("data", (chunk: Buffer) => {
              parts.push(chunk.toString());
              // Only a client that has seen the first part lets the handler go on.
              if (parts.length === 1) release.resolve();
            });
            body.on("end", () => resolve({ headers: res.headers }));
          },
        );
        req.on("error", reject);
        req.end();
      });
      const { headers } = await withinDeadline(received, `the streamed page (${encoding ?? "identity"})`);
      assert.equal(headers["content-encoding"], encoding);
      assert.equal(parts[0], "<p>first</p>", "the first part arrived on its own");
      assert.equal(parts.join(""), "<p>first</p><p>second</p>");
    }
  });

  it("sends a burst of chunks as one: compressed with one flush, not one per chunk", async () => {
    // How a stream often arrives: many small pieces, all produced in the same turn.
    const pieces = Array.from({ length: 60 }, (_, i) => `<tr><td>SYM${i}</td><td>${"x".repeat(2000)}</td></tr>`);
    handler = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (const piece of pieces) controller.enqueue(new TextEncoder().encode(piece));
            controller.close();
          },
        }),
        { headers: { "Content-Type": "text/x-script" } },
      );
    const answer = await request("/burst", { headers: { "Accept-Encoding": "gzip" } });
    assert.equal(gunzipSync(answer.body).toString(), pieces.join(""));
    // Each Z_SYNC_FLUSH ends a deflate block with an empty stored block (at least 5 bytes), and a
    // flush per piece would add 60 of them.
    const oneShot = gzipSync(Buffer.from(pieces.join("")), { level: 4 }).length;
    assert.ok(answer.body.length < oneShot + 60, `${answer.body.length} bytes against ${oneShot} in one piece`);
  });

  it("hands a POST body to the handler", async () => {
    handler = async (request) =>
      Response.json({ method: request.method, type: request.headers.get("content-type"), body: await request.json() });
    const response = await fetch(`${origin}/submit?x=1`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ticker: "BTCUSDT", priority: 7 }),
    });
    assert.deepEqual(await response.json(), {
      method: "POST",
      type: "application/json",
      body: { ticker: "BTCUSDT", priority: 7 },
    });
    assert.equal(
      new URL(exchanges[0]!.request.url).pathname + new URL(exchanges[0]!.request.url).search,
      "/submit?x=1",
    );
  });

  it("answers HEAD with the status and headers and no body", async () => {
    handler = () => Response.json(BIG, { headers: { "X-Rows": "1500" } });
    const answer = await request("/big", { method: "HEAD", headers: { "Accept-Encoding": "gzip" } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers["x-rows"], "1500");
    assert.equal(answer.body.length, 0);
  });

  it("never aborts the signal, even when the client leaves mid-response: the handler's work goes on to its end", async () => {
    const leave = deferred();
    const finish = deferred();
    handler = () => dataInParts(finish.promise);
    const req = http.request(`${origin}/slow`, { agent: false }, (res) => res.once("data", () => leave.resolve()));
    req.on("error", () => {});
    req.end();
    await withinDeadline(leave.promise, "the first part of the slow answer");
    req.destroy();
    const { res, request: seen, sent } = exchanges[0]!;
    await eventually(() => res.closed, "the server to see the client leave");
    assert.equal(res.writableFinished, false, "the client left before the response was complete");
    assert.equal(seen.signal.aborted, false);
    finish.resolve();
    await withinDeadline(sent, "the response to finish");
  });
});

describe("a request that makes no URL", () => {
  it("is refused with BadRequestError rather than failing inside Request", async () => {
    let thrown: unknown = null;
    const server = http.createServer((req, res) => {
      try {
        toFetchRequest(req);
        res.end("converted");
      } catch (error) {
        thrown = error;
        res.writeHead(400).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const status = await new Promise<number>((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port, path: "/", headers: { Host: "bad host" } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on("error", reject);
      });
      assert.equal(status, 400);
      assert.ok(thrown instanceof BadRequestError, String(thrown));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
