import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { createStaticHandler } from "./static-files";

// Files on disk in a temporary directory, served by a real server exactly as console-instance.ts wires it:
// the handler first, a 404 of the test's own when it declines.

const BIG_JS = Array.from({ length: 2000 }, (_, i) => `export const value${i} = ${i * 7};`).join("\n");
const SMALL_CSS = "body { color: #123; }\n";
const PNG = Buffer.from([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  ...Array.from({ length: 4000 }, (_, i) => i % 7),
]);

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw request: the path is sent as written (fetch would resolve dot segments first). */
function request(port: number, rawPath: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: rawPath, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("static files from memory", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sd-static-"));
  const build = path.join(dir, "build");
  const pub = path.join(dir, "public");
  let server: http.Server;
  let port = 0;

  before(async () => {
    mkdirSync(path.join(build, "chunks"), { recursive: true });
    mkdirSync(path.join(pub, "build"), { recursive: true });
    writeFileSync(path.join(build, "chunks", "app-ABC123.js"), BIG_JS);
    writeFileSync(path.join(build, "small.css"), SMALL_CSS);
    writeFileSync(path.join(pub, "logo.png"), PNG);
    writeFileSync(path.join(pub, "robots.txt"), "User-agent: *\n");
    // Same URL path as a file of the first root: the first root's must be served.
    writeFileSync(path.join(pub, "build", "small.css"), "/* the shadowed copy */");
    // Beside the roots, never to be served.
    writeFileSync(path.join(dir, "secret.txt"), "the secret");
    const serve = createStaticHandler([
      { dir: build, urlPrefix: "/build/", cacheControl: "public, max-age=31536000, immutable" },
      { dir: pub, urlPrefix: "/", cacheControl: "public, max-age=3600" },
    ]);
    server = http.createServer((req, res) => {
      if (!serve(req, res)) res.writeHead(404, { "Content-Type": "text/plain" }).end("not a static file");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves a file's content with its type and caching headers", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/robots.txt?v=2`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(response.headers.get("cache-control"), "public, max-age=3600");
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(await response.text(), "User-agent: *\n");

    const png = await request(port, "/logo.png", { "Accept-Encoding": "gzip, br" });
    assert.equal(png.headers["content-type"], "image/png");
    assert.equal(png.headers["content-encoding"], undefined, "an image is never recompressed");
    assert.deepEqual(png.body, PNG);

    const js = await request(port, "/build/chunks/app-ABC123.js");
    assert.equal(js.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(js.headers["cache-control"], "public, max-age=31536000, immutable");
  });

  it("answers 304 to a matching If-None-Match and 200 to a stale one", async () => {
    const first = await fetch(`http://127.0.0.1:${port}/build/small.css`);
    const etag = first.headers.get("etag");
    assert.match(etag ?? "", /^"[\w-]+"$/);
    const again = await request(port, "/build/small.css", { "If-None-Match": etag! });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, etag);
    const stale = await request(port, "/build/small.css", { "If-None-Match": '"something-else"' });
    assert.equal(stale.status, 200);
    assert.equal(stale.body.toString(), SMALL_CSS);
  });

  it("picks br, then gzip, from Accept-Encoding for a large text file, and each decodes to the file", async () => {
    const br = await request(port, "/build/chunks/app-ABC123.js", { "Accept-Encoding": "gzip, deflate, br" });
    assert.equal(br.headers["content-encoding"], "br");
    assert.equal(br.headers.vary, "Accept-Encoding");
    assert.equal(Number(br.headers["content-length"]), br.body.length);
    assert.ok(br.body.length < BIG_JS.length / 2);
    assert.equal(brotliDecompressSync(br.body).toString(), BIG_JS);

    const gzip = await request(port, "/build/chunks/app-ABC123.js", { "Accept-Encoding": "gzip" });
    assert.equal(gzip.headers["content-encoding"], "gzip");
    assert.equal(gunzipSync(gzip.body).toString(), BIG_JS);

    const identity = await request(port, "/build/chunks/app-ABC123.js");
    assert.equal(identity.headers["content-encoding"], undefined);
    assert.equal(identity.body.toString(), BIG_JS);
  });

  it("does not send an encoding the client refuses with q=0", async () => {
    const noBr = await request(port, "/build/chunks/app-ABC123.js", { "Accept-Encoding": "br;q=0, gzip" });
    assert.equal(noBr.headers["content-encoding"], "gzip");
    const none = await request(port, "/build/chunks/app-ABC123.js", { "Accept-Encoding": "gzip;q=0, identity" });
    assert.equal(none.headers["content-encoding"], undefined);
    assert.equal(none.body.toString(), BIG_JS);
  });

  it("sends a small file as it is, whatever the client accepts", async () => {
    const small = await request(port, "/build/small.css", { "Accept-Encoding": "gzip, br" });
    assert.equal(small.headers["content-encoding"], undefined);
    assert.equal(small.headers.vary, undefined);
    assert.equal(small.body.toString(), SMALL_CSS);
  });

  it("answers HEAD with the headers and no body", async () => {
    const head = await request(port, "/build/chunks/app-ABC123.js", {}, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers["content-length"]), Buffer.byteLength(BIG_JS));
    assert.equal(head.body.length, 0);
  });

  it("declines paths it does not hold and methods other than GET and HEAD", async () => {
    for (const missing of ["/nothing.js", "/build/", "/build", "/chunks/app-ABC123.js", "/%E0%A4%A"]) {
      const answer = await request(port, missing);
      assert.equal(answer.status, 404, missing);
      assert.equal(answer.body.toString(), "not a static file");
    }
    assert.equal((await request(port, "/robots.txt", {}, "POST")).status, 404);
  });

  it("never serves a file outside its roots, however the path climbs", async () => {
    const climbs = [
      "/build/../secret.txt",
      "/../secret.txt",
      "/build/%2e%2e/secret.txt",
      "/build/..%2fsecret.txt",
      "/%2e%2e%2fsecret.txt",
      "/build/chunks/..%2f..%2f..%2fsecret.txt",
      "/..\\secret.txt",
      "/build/..%5csecret.txt",
    ];
    for (const climb of climbs) {
      const answer = await request(port, climb);
      assert.equal(answer.status, 404, climb);
      assert.ok(!answer.body.toString().includes("the secret"), climb);
    }
  });

  it("serves the first root's file when two roots have the same URL path", async () => {
    const answer = await request(port, "/build/small.css");
    assert.equal(answer.body.toString(), SMALL_CSS);
    assert.equal(answer.headers["cache-control"], "public, max-age=31536000, immutable");
  });
});
