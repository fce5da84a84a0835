import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { issueApiToken } from "#db/repositories/api-tokens";
import { createEndUser, symbolIdOf } from "#db/test/api-fixtures";
import { forEachEngine } from "#db/test/engines";
import { configureApiRateLimit } from "#db/security/throttle";
import { bearer, call, type CallOptions, staffCookie, useTestDatabase } from "./test-harness";

// The contract: real responses of the routes, checked against the OpenAPI document the API
// serves (fetched from /api/openapi.json like a client would). Every status a route answers must
// be documented for that operation, every JSON body must validate against the documented schema
// (ajv, JSON Schema 2020-12), and every documented success must have been seen.

// The document is checked against real answers; its shape is read loosely on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document walked by key
type Json = Record<string, any>;

forEachEngine("symbol API contract: real responses against /api/openapi.json", ({ conn }) => {
  let doc: Json;
  let ajv: Ajv2020;
  const seen = new Set<string>();

  before(async () => {
    useTestDatabase(conn);
    doc = (await (await call("GET", "/api/openapi.json")).json()) as Json;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    ajv.addFormat("date-time", { validate: (value: string) => !Number.isNaN(Date.parse(value)) });
    ajv.addSchema({ $id: "openapi.json", ...doc, $schema: undefined });
  });
  beforeEach(() => useTestDatabase(conn));
  after(() => configureApiRateLimit("reset-to-env"));

  /** Sends the request and checks the response against the operation `method path` of the document. */
  async function exchange(
    method: string,
    template: string,
    path: string,
    options: CallOptions = {},
  ): Promise<Response> {
    const response = await call(method, path, options);
    const operation = doc.paths[template]?.[method.toLowerCase()];
    assert.ok(operation, `${method} ${template} is documented`);
    const documented = operation.responses[String(response.status)];
    const text = await response.clone().text();
    assert.ok(documented, `${method} ${template} answered ${response.status}, which is not documented: ${text}`);
    seen.add(`${method} ${template} ${response.status}`);
    for (const [header, spec] of Object.entries(documented.headers ?? {})) {
      // Cache-Control may be set by a proxy; a header documented as not required is conditional.
      if (header !== "Cache-Control" && (spec as { required?: boolean }).required !== false)
        assert.ok(response.headers.has(header), `${header} on ${response.status} of ${method} ${template}`);
    }
    const schema = documented.content?.["application/json"]?.schema;
    if (!schema) {
      assert.equal(text, "", `${response.status} of ${method} ${template} has no body`);
      return response;
    }
    assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/);
    const validate = ajv.getSchema(`openapi.json${schema.$ref}`)!;
    assert.ok(
      validate(JSON.parse(text)),
      `${method} ${template} ${response.status}: ${ajv.errorsText(validate.errors)}\n${text}`,
    );
    return response;
  }

  test("every endpoint's successes and errors match the document", async () => {
    const userId = await createEndUser(conn.db, "contract@example.com");
    const other = await createEndUser(conn.db, "contract-other@example.com");
    const auth = bearer((await issueApiToken(conn.db, userId, "contract")).token);
    const json = { ...auth, "Content-Type": "application/json" };
    const [btc, eth, ada] = await Promise.all(["BTCUSDT", "ETHUSDT", "ADAUSDT"].map((t) => symbolIdOf(conn.db, t)));
    const list = "/api/users/{userId}/symbols";
    const one = "/api/users/{userId}/symbols/{symbolId}";
    const order = "/api/users/{userId}/symbols/order";

    const defaults = await exchange("GET", "/api/symbols/defaults", "/api/symbols/defaults");
    await exchange("GET", "/api/symbols/defaults", "/api/symbols/defaults", {
      headers: { "If-None-Match": defaults.headers.get("ETag")! },
    });
    // An undocumented method or path is no operation of the document, but still its Error shape.
    for (const [method, path] of [
      ["POST", "/api/symbols/defaults"],
      ["GET", "/api/no/such/thing"],
    ] as const) {
      const refused = await call(method, path, { json: method === "POST" ? {} : undefined });
      const validate = ajv.getSchema("openapi.json#/components/schemas/Error")!;
      assert.ok(validate(await refused.json()), ajv.errorsText(validate.errors));
      seen.add(`${method} ${path} ${refused.status}`);
    }

    await exchange("GET", "/api/symbols/search", "/api/symbols/search?q=btc&limit=3");
    await exchange("GET", "/api/symbols/search", "/api/symbols/search?q=zz-nothing-zz");
    await exchange("GET", "/api/symbols/search", "/api/symbols/search?q=");

    await exchange("GET", list, `/api/users/${userId}/symbols`, { headers: auth }); // the defaults
    await exchange("POST", list, `/api/users/${userId}/symbols`, {
      headers: auth,
      json: { symbolId: btc, isPinned: true },
    });
    await exchange("POST", list, `/api/users/${userId}/symbols`, { headers: auth, json: { symbolId: eth } });
    await exchange("GET", list, `/api/users/${userId}/symbols`, { headers: auth }); // their own
    await exchange("GET", list, `/api/users/${userId}/symbols`, {
      headers: await staffCookie(conn, "viewer", "contract@desk.test"),
    });
    await exchange("POST", list, `/api/users/${userId}/symbols`, { headers: auth, json: { symbolId: btc } }); // 409
    // 422 inactive
    await exchange("POST", list, `/api/users/${userId}/symbols`, { headers: auth, json: { symbolId: ada } });
    await exchange("POST", list, `/api/users/${userId}/symbols`, {
      headers: auth,
      json: { symbolId: eth, role: "admin" },
    }); // 422
    await exchange("POST", list, `/api/users/${userId}/symbols`, { headers: json, body: "[" }); // 400
    await exchange("POST", list, `/api/users/${userId}/symbols`, {
      headers: { ...auth, "Content-Type": "text/plain" },
      body: "{}",
    });
    await exchange("POST", list, `/api/users/${userId}/symbols`, {
      headers: json,
      body: JSON.stringify({ p: "x".repeat(17_000) }),
    });
    await exchange("GET", list, `/api/users/${other}/symbols`, { headers: auth }); // 403
    await exchange("GET", list, `/api/users/${userId}/symbols`); // 401
    await exchange("GET", list, "/api/users/not-a-uuid/symbols", { headers: auth }); // 400
    await exchange("GET", list, "/api/users/00000000-0000-0000-0000-000000000000/symbols", {
      headers: await staffCookie(conn, "viewer", "contract-404@desk.test"),
    }); // 404

    await exchange("PUT", one, `/api/users/${userId}/symbols/${eth}`, {
      headers: auth,
      json: { displayOrder: 0, isVisible: true },
    });
    // 404
    await exchange("PUT", one, `/api/users/${userId}/symbols/${ada}`, { headers: auth, json: { isPinned: true } });
    await exchange("PUT", one, `/api/users/${userId}/symbols/${eth}`, { headers: auth, json: {} }); // 422
    await exchange("PUT", order, `/api/users/${userId}/symbols/order`, {
      headers: auth,
      json: { symbolIds: [eth, btc] },
    });
    // 422
    await exchange("PUT", order, `/api/users/${userId}/symbols/order`, { headers: auth, json: { symbolIds: [eth] } });
    await exchange("DELETE", one, `/api/users/${userId}/symbols/${eth}`, { headers: auth });
    await exchange("DELETE", one, `/api/users/${userId}/symbols/${eth}`, { headers: auth }); // 404

    configureApiRateLimit({ limit: 1, windowMs: 60_000 });
    await exchange("GET", list, `/api/users/${userId}/symbols`, { headers: auth });
    await exchange("GET", list, `/api/users/${userId}/symbols`, { headers: auth }); // 429
    configureApiRateLimit("reset-to-env");

    for (const [template, methods] of Object.entries(doc.paths as Json)) {
      for (const [method, operation] of Object.entries(methods as Json)) {
        const success = Object.keys(operation.responses).find((status) => /^2/.test(status))!;
        assert.ok(
          seen.has(`${method.toUpperCase()} ${template} ${success}`),
          `${method} ${template} ${success} was exercised`,
        );
      }
    }
    for (const status of ["304", "400", "401", "403", "404", "405", "409", "413", "415", "422", "429"]) {
      assert.ok(
        [...seen].some((s) => s.endsWith(` ${status}`)),
        `a ${status} was checked against the document`,
      );
    }
  });
});
