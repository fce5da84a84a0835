import assert from "node:assert/strict";
import { before, beforeEach, test } from "node:test";
import { rollbackThrough } from "#db/migrator";
import { createEndUser, symbolIdOf } from "#db/test/api-fixtures";
import { forEachEngine } from "#db/test/engines";
import { staffCookie, useTestDatabase } from "~/api/test-harness";
import * as home from "./_console._index/route";
import * as apiDocs from "./_console.api-docs/route";
import * as audit from "./_console.audit/route";
import * as broadcast from "./_console.broadcast/route";
import * as migrations from "./_console.migrations/route";
import * as performance from "./_console.performance/route";
import * as indexes from "./_console.performance_.indexes/route";
import * as plan from "./_console.performance_.plans.$id/route";
import * as providers from "./_console.providers/route";
import * as quality from "./_console.quality/route";
import * as readiness from "./_console.readiness/route";
import * as symbol from "./_console.symbols.$id/route";
import * as symbols from "./_console.symbols._index/route";
import * as defaults from "./_console.symbols.defaults/route";
import * as preview from "./_console.users.$id.preview/route";
import * as users from "./_console.users._index/route";
import * as layout from "./_console/route";

// Every console page's loaders, called as Remix calls them, while 20250108 is rolled back: none
// answers 500 (a thrown error that is not a 4xx/503 response would be one); a page that needs the
// four columns answers 503 saying 20250108 is rolled back and what still works, and so does a form
// post that changes one of them.

const DATA_DRIVEN = "20250108_data_driven_symbols";

type Loader = (args: never) => Promise<unknown>;

interface Answer {
  status: number;
  message: string | null;
  retryAfter: string | null;
}

function answerOf(outcome: unknown): Answer {
  if (outcome instanceof Response) return { status: outcome.status, message: null, retryAfter: null };
  const { init, data } = outcome as { init?: ResponseInit | null; data?: { message?: string } };
  return {
    status: init?.status ?? 200,
    message: data?.message ?? null,
    retryAfter: new Headers(init?.headers).get("Retry-After"),
  };
}

async function load(
  loader: Loader,
  path: string,
  params: Record<string, string>,
  cookie: Record<string, string>,
  form?: Record<string, string>,
): Promise<Answer | { error: unknown }> {
  const request = new Request(new URL(path, "http://desk.test"), {
    headers: { ...cookie, ...(form ? { Origin: "http://desk.test" } : {}) },
    ...(form ? { method: "POST", body: new URLSearchParams(form) } : {}),
  });
  try {
    return answerOf(await loader({ request, params, context: {} } as never));
  } catch (thrown) {
    if (thrown instanceof Response || (thrown as { type?: string } | null)?.type === "DataWithResponseInit")
      return answerOf(thrown);
    return { error: thrown };
  }
}

forEachEngine("console pages while 20250108 is rolled back", ({ conn }) => {
  let cookie: Record<string, string>;
  let symbolId: string;
  let userId: string;
  before(async () => {
    useTestDatabase(conn);
    cookie = await staffCookie(conn, "admin", "pages-rolled-back@example.com");
    symbolId = await symbolIdOf(conn.db, "BTCUSDT");
    userId = await createEndUser(conn.db, "pages-rolled-back-user@example.com");
    await rollbackThrough(conn.db, { actor: "test", migration: DATA_DRIVEN });
  });
  beforeEach(() => useTestDatabase(conn));

  test("no console page answers 500", async () => {
    const pages: Array<[string, Loader, Record<string, string>]> = [
      ["/", home.loader, {}],
      ["/api-docs", apiDocs.loader, {}],
      ["/audit", audit.loader, {}],
      ["/broadcast", broadcast.loader, {}],
      ["/migrations", migrations.loader, {}],
      ["/performance", performance.loader, {}],
      ["/performance/indexes", indexes.loader, {}],
      ["/performance/plans/defaults", plan.loader, { id: "defaults" }],
      ["/providers", providers.loader, {}],
      ["/quality", quality.loader, {}],
      ["/readiness", readiness.loader, {}],
      [`/symbols/${symbolId}`, symbol.loader, { id: symbolId }],
      ["/symbols", symbols.loader, {}],
      ["/symbols/defaults", defaults.loader, {}],
      [`/users/${userId}/preview`, preview.loader, { id: userId }],
      ["/users", users.loader, {}],
    ];
    const failures: string[] = [];
    const refused: string[] = [];
    for (const [path, loader, params] of pages) {
      for (const [which, fn] of [
        ["layout", layout.loader as Loader],
        ["page", loader],
      ] as const) {
        const outcome = await load(fn, path, params, cookie);
        if ("error" in outcome) failures.push(`${path} (${which}): ${String((outcome.error as Error)?.message)}`);
        else if (outcome.status >= 500 && outcome.status !== 503)
          failures.push(`${path} (${which}): ${outcome.status}`);
        else if (outcome.status === 503) {
          assert.match(outcome.message ?? "", /20250108 is rolled back.*Still working: the public API/, path);
          assert.equal(outcome.retryAfter, "30", path);
          refused.push(path);
        }
      }
    }
    assert.deepEqual(failures, []);
    // The pages that show or edit the four columns; every other page works.
    assert.deepEqual(refused, ["/broadcast", "/providers", `/symbols/${symbolId}`, "/symbols", "/symbols/defaults"]);
  });

  test("a change to a rolled-back column answers 503 with Retry-After and the message", async () => {
    const answer = await load(symbol.action, `/symbols/${symbolId}`, { id: symbolId }, cookie, {
      intent: "priority",
      priority: "70",
      version: "1",
    });
    assert.ok(!("error" in answer), String((answer as { error?: Error }).error?.message));
    assert.equal(answer.status, 503);
    assert.equal(answer.retryAfter, "30");
    assert.match(answer.message ?? "", /20250108 is rolled back/);
  });
});
