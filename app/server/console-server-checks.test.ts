import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { parseConfig } from "#db/config";
import { type ConsoleServerOptions, createConsoleServer, type RequestContext } from "./console-server";

// What the server checks before any route runs (Host, query and body text, CSRF) and the
// headers it adds, against a stand-in handler that records what reached it.

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(port: number, options: http.RequestOptions & { body?: string | Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, agent: false, ...options }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("the console's HTTP server checks each request before the app sees it", () => {
  const reached: Array<{ request: Request; context: RequestContext }> = [];
  let port = 0;
  let server: http.Server;
  const start = (overrides: Partial<ConsoleServerOptions> = {}) =>
    createConsoleServer({
      isApi: (pathname) => pathname.startsWith("/api/"),
      maxInProgress: 8,
      maxPerClient: 8,
      trustProxy: 0,
      sessionCookies: ["__symbol_desk", "__Host-symbol_desk"],
      handle: async (request, context) => {
        reached.push({ request, context });
        if (request.method !== "GET") await request.text();
        return new Response(`<p>${new URL(request.url).pathname}</p>`, {
          headers: { "Content-Type": "text/html; charset=utf-8" },
        });
      },
      ...overrides,
    });

  before(async () => {
    server = start();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const lastUrl = () => reached.at(-1)!.request.url;

  it("builds the URL from a checked Host: a Host with a path, user info or odd characters is a 400", async () => {
    for (const host of ["127.0.0.1:3000/migrations?", "evil@127.0.0.1", "bad host", "127.0.0.1:99999", "a_b"]) {
      const count = reached.length;
      const answer = await send(port, { path: "/", headers: { Host: host, Accept: "text/html" } });
      assert.equal(answer.status, 400, host);
      assert.equal(reached.length, count, `${host} reached the app`);
      assert.doesNotMatch(answer.body, /at \w+ \(/, "no stack trace");
    }
    await send(port, { path: "/symbols?q=1", headers: { Host: "Desk.Example:8080" } });
    assert.equal(lastUrl(), "http://desk.example:8080/symbols?q=1");
    await send(port, { path: "//evil.example/x", headers: { Host: "desk.example" } });
    assert.equal(new URL(lastUrl()).host, "desk.example");
  });

  it("answers NUL bytes and invalid UTF-8 in the query or a form with 400 naming the field", async () => {
    const api = await send(port, { path: "/api/symbols/search?q=%00" });
    assert.equal(api.status, 400);
    assert.deepEqual(JSON.parse(api.body).error.fields, {
      q: "Remove the NUL character (\\u0000): it is not allowed in any field.",
    });
    const page = await send(port, { path: "/audit?from=%FF", headers: { Accept: "text/html" } });
    assert.equal(page.status, 400);
    assert.match(page.body, /<strong>from<\/strong>: This value is not valid UTF-8 text/);
    const form = await send(port, {
      method: "POST",
      path: "/login",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: `http://127.0.0.1:${port}` },
      body: "email=a%00b&password=x",
    });
    assert.equal(form.status, 400);
    assert.match(form.body, /"email"/);
    const json = await send(port, {
      method: "POST",
      path: "/api/users/x/symbols",
      headers: { "Content-Type": "application/json" },
      body: '{"symbolId":"a\\u0000"}',
    });
    assert.equal(json.status, 400);
    assert.ok(JSON.parse(json.body).error.fields.symbolId);
  });

  it("refuses Remix's data requests of before single fetch (?_data) with 400, before the app", async () => {
    const count = reached.length;
    for (const path of [
      "/broadcast?_data=routes%2F_console.broadcast",
      "/symbols?q=a&_data",
      "/api/nothing?_data=root",
    ]) {
      const answer = await send(port, { path, headers: { Accept: "application/json" } });
      assert.equal(answer.status, 400, path);
      const refusal = JSON.parse(answer.body);
      assert.ok((refusal.error ?? refusal).fields._data, `${path}: the answer names _data`);
    }
    const post = await send(port, {
      method: "POST",
      path: "/broadcast?_data=routes%2F_console.broadcast",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: `http://127.0.0.1:${port}`,
        Connection: "keep-alive",
      },
      body: "intent=pause",
    });
    assert.equal(post.status, 400);
    assert.equal(post.headers.connection, "close", "the unread body is not drained");
    assert.equal(reached.length, count, "a data request reached the app");
    await send(port, { path: "/symbols?data=1&x_data=2" });
    assert.equal(new URL(lastUrl()).search, "?data=1&x_data=2");
  });

  it("refuses a state-changing request with the session cookie from another site with 403, never 500", async () => {
    const cookie = "__symbol_desk=abc";
    const forms = { "Content-Type": "application/x-www-form-urlencoded" };
    const count = reached.length;
    const foreign = await send(port, {
      method: "POST",
      path: "/logout",
      headers: { ...forms, Cookie: cookie, Origin: "https://evil.example", Accept: "text/html" },
      body: "",
    });
    assert.equal(foreign.status, 403);
    assert.match(foreign.body, /Request refused/);
    const fetcher = await send(port, {
      method: "POST",
      path: "/users/1/tokens",
      headers: { ...forms, Cookie: cookie, "Sec-Fetch-Site": "cross-site", Accept: "*/*" },
      body: "intent=issue&label=x",
    });
    assert.equal(fetcher.status, 403);
    assert.equal(JSON.parse(fetcher.body).code, "forbidden");
    const silent = await send(port, { method: "POST", path: "/logout", headers: { ...forms, Cookie: cookie } });
    assert.equal(silent.status, 403);
    const wrongReferer = await send(port, {
      method: "POST",
      path: "/logout",
      headers: { ...forms, Cookie: `x=1; __Host-symbol_desk=abc`, Referer: "https://evil.example/page" },
    });
    assert.equal(wrongReferer.status, 403);
    assert.equal(reached.length, count, "a refused request reached the app");

    const own = `http://127.0.0.1:${port}`;
    assert.equal(
      (await send(port, { method: "POST", path: "/logout", headers: { Cookie: cookie, Origin: own } })).status,
      200,
    );
    const sameSite = { Cookie: cookie, "Sec-Fetch-Site": "same-origin" };
    assert.equal((await send(port, { method: "POST", path: "/logout", headers: sameSite })).status, 200);
    // Signing in carries no session cookie yet; a form posted from another site is still refused.
    assert.equal(
      (await send(port, { method: "POST", path: "/login", headers: { Origin: "https://evil.example" } })).status,
      403,
    );
  });

  it("puts a nonce CSP and the framing, sniffing and referrer headers on pages, and no-store", async () => {
    const first = await send(port, { path: "/" });
    const second = await send(port, { path: "/" });
    const csp = String(first.headers["content-security-policy"]);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16, csp);
    assert.notEqual(String(second.headers["content-security-policy"]), csp, "a nonce per response");
    assert.equal(reached.at(-2)!.context.cspNonce, nonce);
    assert.doesNotMatch(
      csp.split(";").find((d) => d.includes("script-src"))!,
      /unsafe-inline/,
    );
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(first.headers["x-frame-options"], "DENY");
    assert.equal(first.headers["x-content-type-options"], "nosniff");
    assert.equal(first.headers["referrer-policy"], "strict-origin-when-cross-origin");
    assert.ok(first.headers["permissions-policy"]);
    assert.equal(first.headers["cache-control"], "no-store");
    assert.equal(first.headers["strict-transport-security"], undefined, "no HSTS over plain http");
  });

  it("believes X-Forwarded-For and -Proto only from a trusted proxy, read from the right", async () => {
    const forwarded = { "X-Forwarded-For": "198.51.100.9, 203.0.113.5", "X-Forwarded-Proto": "https" };
    await send(port, { path: "/", headers: forwarded });
    assert.equal(reached.at(-1)!.context.clientAddress, "127.0.0.1");
    assert.equal(reached.at(-1)!.context.scheme, "http");

    const behindProxy = start({ trustProxy: 1 });
    await new Promise<void>((resolve) => behindProxy.listen(0, "127.0.0.1", resolve));
    const proxied = (behindProxy.address() as AddressInfo).port;
    try {
      const answer = await send(proxied, { path: "/", headers: forwarded });
      assert.equal(reached.at(-1)!.context.clientAddress, "203.0.113.5");
      assert.equal(reached.at(-1)!.context.scheme, "https");
      assert.ok(lastUrl().startsWith("https://"));
      assert.match(String(answer.headers["strict-transport-security"]), /max-age=\d+/);
    } finally {
      behindProxy.closeAllConnections();
      await new Promise((resolve) => behindProxy.close(resolve));
    }
  });

  it("with TRUST_PROXY as a list of addresses, believes the headers only from those proxies", async () => {
    // What a proxy at 127.0.0.1 passes on: an address the client wrote, then the one it saw.
    const forwarded = { "X-Forwarded-For": "198.51.100.9, 203.0.113.5", "X-Forwarded-Proto": "https" };
    const listed = parseConfig({ TRUST_PROXY: "10.0.0.5, 127.0.0.1" }).TRUST_PROXY;
    assert.deepEqual(listed, ["10.0.0.5", "127.0.0.1"]);
    for (const [trustProxy, address, scheme] of [
      [listed, "203.0.113.5", "https"],
      // The socket is not one of the listed proxies: the headers are the client's own words.
      [["10.0.0.5"], "127.0.0.1", "http"],
    ] as const) {
      const behindProxy = start({ trustProxy });
      await new Promise<void>((resolve) => behindProxy.listen(0, "127.0.0.1", resolve));
      try {
        await send((behindProxy.address() as AddressInfo).port, { path: "/", headers: forwarded });
        assert.equal(reached.at(-1)!.context.clientAddress, address, String(trustProxy));
        assert.equal(reached.at(-1)!.context.scheme, scheme, String(trustProxy));
      } finally {
        behindProxy.closeAllConnections();
        await new Promise((resolve) => behindProxy.close(resolve));
      }
    }
  });
});
