import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ServerBuild } from "@remix-run/node";
import { createApiRoutes } from "./api-routes";

// A route table shaped like the build's, laid out as the real API is (app/routes/api.*), whose
// handlers answer with the route and params they were called with.

type Args = { request: Request; params: Record<string, string | undefined> };

const echo =
  (id: string, kind: "loader" | "action") =>
  async ({ request, params }: Args) =>
    Response.json({ id, kind, method: request.method, params });

const resource = (id: string) => ({ loader: echo(id, "loader"), action: echo(id, "action") });

function routeTable(extra: Record<string, object> = {}) {
  const routes: Record<string, object> = {
    root: { id: "root", path: "", module: { default: () => null } },
    "routes/api.symbols.defaults": {
      id: "routes/api.symbols.defaults",
      parentId: "root",
      path: "api/symbols/defaults",
      module: { loader: echo("routes/api.symbols.defaults", "loader") },
    },
    "routes/api.users.$userId.symbols": {
      id: "routes/api.users.$userId.symbols",
      parentId: "root",
      path: "api/users/:userId/symbols",
      module: resource("routes/api.users.$userId.symbols"),
    },
    "routes/api.users.$userId.symbols.$symbolId": {
      id: "routes/api.users.$userId.symbols.$symbolId",
      parentId: "routes/api.users.$userId.symbols",
      path: ":symbolId",
      module: resource("routes/api.users.$userId.symbols.$symbolId"),
    },
    "routes/api.users.$userId.symbols.order": {
      id: "routes/api.users.$userId.symbols.order",
      parentId: "routes/api.users.$userId.symbols",
      path: "order",
      module: { action: echo("routes/api.users.$userId.symbols.order", "action") },
    },
    "routes/api.openapi[.]json": {
      id: "routes/api.openapi[.]json",
      parentId: "root",
      path: "api/openapi.json",
      module: { loader: async () => ({ openapi: "3.1.0" }) },
    },
    "routes/api.$": { id: "routes/api.$", parentId: "root", path: "api/*", module: resource("routes/api.$") },
    "routes/_console.symbols._index": {
      id: "routes/_console.symbols._index",
      parentId: "root",
      path: "symbols",
      index: true,
      module: { default: () => null, loader: echo("routes/_console.symbols._index", "loader") },
    },
    ...extra,
  };
  return { routes } as unknown as ServerBuild;
}

const api = createApiRoutes(routeTable());

async function call(method: string, path: string) {
  const response = await api.handle(new Request(`http://desk.test${path}`, { method }));
  assert.ok(response, `${method} ${path} was answered`);
  return (await response.json()) as { id: string; kind: string; method: string; params: Record<string, string> };
}

describe("the API's own route matching", () => {
  it("prefers the static child over the dynamic one: /symbols/order is the order route", async () => {
    const answer = await call("POST", "/api/users/u1/symbols/order");
    assert.equal(answer.id, "routes/api.users.$userId.symbols.order");
    assert.deepEqual(answer.params, { userId: "u1" });
  });

  it("gives a nested dynamic route both its own and its parent's params, decoded", async () => {
    const answer = await call("PUT", "/api/users/user%20one/symbols/sym%20b%C3%A9");
    assert.equal(answer.id, "routes/api.users.$userId.symbols.$symbolId");
    assert.deepEqual(answer.params, { userId: "user one", symbolId: "sym bé" });
  });

  it("matches the parent route itself, with or without a trailing slash", async () => {
    for (const path of ["/api/users/u1/symbols", "/api/users/u1/symbols/"]) {
      const answer = await call("GET", path);
      assert.equal(answer.id, "routes/api.users.$userId.symbols", path);
      assert.deepEqual(answer.params, { userId: "u1" });
    }
  });

  it("matches a static path, and a dot in it only as a dot", async () => {
    assert.equal((await call("GET", "/api/symbols/defaults?limit=3")).id, "routes/api.symbols.defaults");
    const openapi = await api.handle(new Request("http://desk.test/api/openapi.json"));
    assert.deepEqual(await openapi?.json(), { openapi: "3.1.0" }, "a loader's plain value is answered as JSON");
    assert.equal((await call("GET", "/api/openapiXjson")).id, "routes/api.$");
  });

  it("sends unknown paths under /api to the splat with the rest of the path", async () => {
    const answer = await call("GET", "/api/no/such/thing");
    assert.equal(answer.id, "routes/api.$");
    assert.equal(answer.params["*"], "no/such/thing");
    assert.equal((await call("GET", "/api/users/u1/symbols/s1/extra")).id, "routes/api.$");
  });

  it("calls the loader for GET and HEAD, the action for POST, PUT and DELETE", async () => {
    for (const method of ["GET", "HEAD"]) {
      const response = await api.handle(new Request("http://desk.test/api/users/u1/symbols", { method }));
      assert.equal(response?.headers.get("Content-Type"), "application/json", method);
      if (method === "GET") assert.equal(((await response!.json()) as { kind: string }).kind, "loader");
    }
    for (const method of ["POST", "PUT", "DELETE"]) {
      const answer = await call(method, "/api/users/u1/symbols");
      assert.deepEqual([answer.kind, answer.method], ["action", method]);
    }
  });

  it("answers null when the matched route has no handler for the method", async () => {
    assert.equal(await api.handle(new Request("http://desk.test/api/symbols/defaults", { method: "POST" })), null);
    assert.equal(await api.handle(new Request("http://desk.test/api/users/u1/symbols/order")), null);
  });

  it("claims only paths under /api/, never pages", () => {
    assert.equal(api.matches("/api/symbols/defaults"), true);
    assert.equal(api.matches("/api/"), true);
    for (const path of ["/", "/symbols", "/api", "/apiary/x", "/login?next=/api/"])
      assert.equal(api.matches(path), false, path);
  });

  it("refuses a page route under /api", () => {
    const build = routeTable({
      "routes/api.page": { id: "routes/api.page", parentId: "root", path: "api/page", module: { default: () => null } },
    });
    assert.throws(() => createApiRoutes(build), /routes\/api\.page renders a page/);
  });

  it("answers a thrown Response, and lets any other error through", async () => {
    const build = routeTable({
      "routes/api.private": {
        id: "routes/api.private",
        parentId: "root",
        path: "api/private",
        module: {
          loader: async () => {
            throw new Response("no", { status: 403 });
          },
          action: async () => {
            throw new Error("broken");
          },
        },
      },
    });
    const withPrivate = createApiRoutes(build);
    const response = await withPrivate.handle(new Request("http://desk.test/api/private"));
    assert.equal(response?.status, 403);
    assert.equal(await response?.text(), "no");
    await assert.rejects(withPrivate.handle(new Request("http://desk.test/api/private", { method: "POST" })), /broken/);
  });
});
