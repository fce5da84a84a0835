import assert from "node:assert/strict";
import { before, beforeEach, test } from "node:test";
import { issueApiToken } from "#db/repositories/api-tokens";
import { createEndUser, deactivateSymbol, symbolIdOf } from "#db/test/api-fixtures";
import { forEachEngine } from "#db/test/engines";
import { bearer, call, errorOf, useTestDatabase } from "./test-harness";

// A user's list through the API with their own token, on both engines: the defaults until they
// have symbols, add (201, 409, 422), change (200, 404, 422), reorder in one request, remove (204, 404).

interface ListBody {
  userId: string;
  source: "preferences" | "defaults";
  symbols: Array<{
    id: string;
    ticker: string;
    preference: { displayOrder: number; isPinned: boolean; isVisible: boolean } | null;
  }>;
}

forEachEngine("symbol API: a user's list", ({ conn }) => {
  let userId = "";
  let auth: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const list = async () =>
    (await (await call("GET", `/api/users/${userId}/symbols`, { headers: auth })).json()) as ListBody;
  const tickers = (body: ListBody) => body.symbols.map((s) => s.ticker);

  before(async () => {
    userId = await createEndUser(conn.db, "list-owner@example.com");
    auth = bearer((await issueApiToken(conn.db, userId, "tests")).token);
    for (const ticker of ["BTCUSDT", "ETHUSDT", "SOLUSDT", "DOGEUSDT", "AAPL", "ADAUSDT"])
      ids[ticker] = await symbolIdOf(conn.db, ticker);
  });
  beforeEach(() => useTestDatabase(conn));

  test("a user without symbols of their own gets the nine defaults", async () => {
    const response = await call("GET", `/api/users/${userId}/symbols`, { headers: auth });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Cache-Control"), "no-store");
    const body = (await response.json()) as ListBody;
    assert.equal(body.source, "defaults");
    assert.equal(body.symbols.length, 9);
    assert.ok(body.symbols.every((s) => s.preference === null));
  });

  test("adding symbols: 201 with Location, then the user's own list replaces the defaults", async () => {
    const added = await call("POST", `/api/users/${userId}/symbols`, {
      headers: auth,
      json: { symbolId: ids.ETHUSDT },
    });
    assert.equal(added.status, 201);
    assert.equal(added.headers.get("Location"), `/api/users/${userId}/symbols/${ids.ETHUSDT}`);
    const body = (await added.json()) as {
      symbolId: string;
      displayOrder: number;
      isPinned: boolean;
      isVisible: boolean;
    };
    assert.deepEqual([body.symbolId, body.displayOrder, body.isPinned, body.isVisible], [ids.ETHUSDT, 1, false, true]);

    await call("POST", `/api/users/${userId}/symbols`, { headers: auth, json: { symbolId: ids.SOLUSDT } });
    await call("POST", `/api/users/${userId}/symbols`, {
      headers: auth,
      json: { symbolId: ids.AAPL, isPinned: true, displayOrder: 9 },
    });
    const mine = await list();
    assert.equal(mine.source, "preferences");
    assert.deepEqual(tickers(mine), ["AAPL", "ETHUSDT", "SOLUSDT"], "pinned first, then in order");
  });

  test("adding one already on the list is 409; an unknown or inactive symbol is 422", async () => {
    const duplicate = await errorOf(
      await call("POST", `/api/users/${userId}/symbols`, { headers: auth, json: { symbolId: ids.ETHUSDT } }),
      409,
    );
    assert.equal(duplicate.code, "conflict");
    const unknown = await errorOf(
      await call("POST", `/api/users/${userId}/symbols`, {
        headers: auth,
        json: { symbolId: "00000000-0000-0000-0000-000000000000" },
      }),
      422,
    );
    assert.equal(unknown.code, "validation_failed");
    assert.ok(unknown.fields.symbolId);
    const inactive = await errorOf(
      await call("POST", `/api/users/${userId}/symbols`, { headers: auth, json: { symbolId: ids.ADAUSDT } }),
      422,
    );
    assert.match(inactive.fields.symbolId!, /inactive/i);
  });

  test("unknown fields and wrong types are refused with the field named (422), and nothing changes", async () => {
    const before = tickers(await list());
    const extra = await errorOf(
      await call("POST", `/api/users/${userId}/symbols`, {
        headers: auth,
        json: { symbolId: ids.DOGEUSDT, userId: "someone-else" },
      }),
      422,
    );
    assert.deepEqual(extra.fields, { userId: "Unknown field: remove it." });
    const wrongType = await errorOf(
      await call("POST", `/api/users/${userId}/symbols`, {
        headers: auth,
        json: { symbolId: ids.DOGEUSDT, isPinned: "yes" },
      }),
      422,
    );
    assert.ok(wrongType.fields.isPinned);
    const badId = await errorOf(
      await call("POST", `/api/users/${userId}/symbols`, { headers: auth, json: { symbolId: "BTC" } }),
      422,
    );
    assert.ok(badId.fields.symbolId);
    assert.deepEqual(tickers(await list()), before);
  });

  test("changing pin, order and visibility; nothing to change is 422; a symbol not on the list is 404", async () => {
    const path = `/api/users/${userId}/symbols/${ids.SOLUSDT}`;
    const changed = await call("PUT", path, { headers: auth, json: { displayOrder: 0 } });
    assert.equal(changed.status, 200);
    assert.equal(((await changed.json()) as { displayOrder: number }).displayOrder, 0);
    assert.deepEqual(tickers(await list()), ["AAPL", "SOLUSDT", "ETHUSDT"]);

    assert.equal((await call("PUT", path, { headers: auth, json: { isVisible: false } })).status, 200);
    assert.deepEqual(tickers(await list()), ["AAPL", "ETHUSDT"], "a hidden symbol is not shown");
    assert.equal((await call("PUT", path, { headers: auth, json: { isVisible: true } })).status, 200);

    assert.equal((await errorOf(await call("PUT", path, { headers: auth, json: {} }), 422)).code, "validation_failed");
    const absent = await errorOf(
      await call("PUT", `/api/users/${userId}/symbols/${ids.DOGEUSDT}`, { headers: auth, json: { isPinned: true } }),
      404,
    );
    assert.equal(absent.code, "not_found");
  });

  test("reordering the whole list in one request; a partial or foreign list is 422 and changes nothing", async () => {
    const order = `/api/users/${userId}/symbols/order`;
    await call("PUT", `/api/users/${userId}/symbols/${ids.AAPL}`, { headers: auth, json: { isPinned: false } });
    const response = await call("PUT", order, {
      headers: auth,
      json: { symbolIds: [ids.ETHUSDT, ids.AAPL, ids.SOLUSDT] },
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as ListBody;
    assert.deepEqual(tickers(body), ["ETHUSDT", "AAPL", "SOLUSDT"]);
    assert.deepEqual(
      body.symbols.map((s) => s.preference?.displayOrder),
      [1, 2, 3],
    );

    const partial = await errorOf(
      await call("PUT", order, { headers: auth, json: { symbolIds: [ids.AAPL, ids.ETHUSDT] } }),
      422,
    );
    assert.match(partial.fields.symbolIds!, /missing/);
    const foreign = [ids.ETHUSDT, ids.AAPL, ids.SOLUSDT, ids.BTCUSDT];
    assert.match(
      (await errorOf(await call("PUT", order, { headers: auth, json: { symbolIds: foreign } }), 422)).fields.symbolIds!,
      /not on/,
    );
    const twice = [ids.ETHUSDT, ids.ETHUSDT, ids.AAPL, ids.SOLUSDT];
    assert.match(
      (await errorOf(await call("PUT", order, { headers: auth, json: { symbolIds: twice } }), 422)).fields.symbolIds!,
      /more than once/,
    );
    assert.deepEqual(tickers(await list()), ["ETHUSDT", "AAPL", "SOLUSDT"]);
  });

  test("a symbol deactivated by staff drops off the list shown, and the order still works", async () => {
    await call("POST", `/api/users/${userId}/symbols`, { headers: auth, json: { symbolId: ids.DOGEUSDT } });
    await deactivateSymbol(conn.db, "DOGEUSDT");
    assert.deepEqual(tickers(await list()), ["ETHUSDT", "AAPL", "SOLUSDT"]);
    const response = await call("PUT", `/api/users/${userId}/symbols/order`, {
      headers: auth,
      json: { symbolIds: [ids.SOLUSDT, ids.ETHUSDT, ids.AAPL] },
    });
    assert.equal(response.status, 200);
  });

  test("removing: 204 with no body, then 404", async () => {
    const path = `/api/users/${userId}/symbols/${ids.SOLUSDT}`;
    const removed = await call("DELETE", path, { headers: auth });
    assert.equal(removed.status, 204);
    assert.equal(await removed.text(), "");
    assert.equal((await errorOf(await call("DELETE", path, { headers: auth }), 404)).code, "not_found");
    assert.deepEqual(tickers(await list()), ["ETHUSDT", "AAPL"]);
  });

  test("GET on a single symbol is not an endpoint: 405 with Allow", async () => {
    const response = await call("GET", `/api/users/${userId}/symbols/${ids.ETHUSDT}`, { headers: auth });
    assert.equal(response.headers.get("Allow"), "PUT, DELETE");
    assert.equal((await errorOf(response, 405)).code, "method_not_allowed");
  });
});
