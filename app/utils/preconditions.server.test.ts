import assert from "node:assert/strict";
import { before, test } from "node:test";
import { forEachEngine } from "#db/test/engines";
import { BASE, staffCookie, useTestDatabase } from "~/api/test-harness";
import { action as previewAction, loader as previewLoader } from "~/routes/_console.users.$id.preview/route";
import { loader as planLoader } from "~/routes/_console.performance_.plans.$id/route";
import { loader as symbolLoader } from "~/routes/_console.symbols.$id/route";
import { loader as tokensLoader } from "~/routes/users.$userId.tokens";

// Every route that takes an id from the address answers a malformed or unknown one the same way:
// 404 with a JSON `{ message }` that the console's error boundary shows (never plain text, never
// a 500 from the database's uuid parser).

async function thrownBy(run: () => Promise<unknown>): Promise<Response> {
  try {
    await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("expected the route to refuse");
}

async function assertNotFound(response: Response, message: RegExp) {
  assert.equal(response.status, 404);
  assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/);
  assert.match(((await response.json()) as { message: string }).message, message);
}

forEachEngine("routes refuse a malformed or unknown id with a 404 message", ({ conn }) => {
  let operator: Record<string, string> = {};
  const unknown = "00000000-0000-4000-8000-000000000000";
  const args = (path: string, params: Record<string, string>, init: RequestInit = {}) => ({
    request: new Request(`${BASE}${path}`, { ...init, headers: { ...operator, ...init.headers } }),
    params,
    context: {},
  });

  before(async () => {
    useTestDatabase(conn);
    operator = await staffCookie(conn, "operator", "preconditions-operator@desk.test");
  });

  test("a user's preview: malformed or unknown id, page and save alike", async () => {
    await assertNotFound(await thrownBy(() => previewLoader(args("/users/x/preview", { id: "x" }))), /no user/);
    await assertNotFound(
      await thrownBy(() => previewLoader(args(`/users/${unknown}/preview`, { id: unknown }))),
      /no user/,
    );
    const save = args(
      "/users/x/preview",
      { id: "x" },
      {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "stamp=1:1&items=" + unknown,
      },
    );
    await assertNotFound(await thrownBy(() => previewAction(save)), /no user/);
  });

  test("a symbol, a measurement and a user's tokens", async () => {
    await assertNotFound(await thrownBy(() => symbolLoader(args("/symbols/x", { id: "x" }))), /no symbol/);
    await assertNotFound(await thrownBy(() => symbolLoader(args(`/symbols/${unknown}`, { id: unknown }))), /no symbol/);
    await assertNotFound(await thrownBy(() => planLoader(args("/performance/plans/x", { id: "x" }))), /no measurement/);
    await assertNotFound(await thrownBy(() => tokensLoader(args("/users/x/tokens", { userId: "x" }))), /no user/);
  });
});
