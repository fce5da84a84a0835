import { issueApiToken } from "../../db/repositories/api-tokens.js";
import { createEndUser, deleteEndUser } from "../../db/test/api-fixtures.js";
import path from "node:path";
import { expect, screenshot, signInAs, test } from "../support/fixtures.js";
import { SCREENS_DIR } from "../support/run-env.js";

// The symbol API over real HTTP on the built server: what a mobile app does with it, and the
// docs page staff read. End users and their tokens are made through db/ and removed after.

test("an app revalidates the default symbols with their ETag and gets 304 while nothing changed", async ({
  request,
}) => {
  const first = await request.get("/api/symbols/defaults");
  expect(first.status()).toBe(200);
  expect(first.headers()["cache-control"]).toBe("public, no-cache");
  const etag = first.headers()["etag"]!;
  expect(etag).toMatch(/^"[\w-]{27}"$/);
  const body = (await first.json()) as { symbols: Array<{ ticker: string }> };
  expect(body.symbols.map((s) => s.ticker)).toEqual([
    "BTCUSDT",
    "ETHUSDT",
    "XRPUSDT",
    "SOLUSDT",
    "AVAXUSDT",
    "SUIUSDT",
    "ENAUSDT",
    "UNIUSDT",
    "BNBUSDT",
  ]);
  const again = await request.get("/api/symbols/defaults", { headers: { "If-None-Match": etag } });
  expect(again.status()).toBe(304);
  expect(await again.text()).toBe("");
});

test("a user's app manages their own list with their token and is refused another user's", async ({
  request,
  db,
}, testInfo) => {
  const tag = `${testInfo.workerIndex}-${Date.now()}`;
  const owner = await createEndUser(db.db, `api-owner-${tag}@e2e.symbol-desk.test`);
  const stranger = await createEndUser(db.db, `api-stranger-${tag}@e2e.symbol-desk.test`);
  try {
    const { token } = await issueApiToken(db.db, owner, "e2e phone");
    const auth = { Authorization: `Bearer ${token}` };

    const mine = await request.get(`/api/users/${owner}/symbols`, { headers: auth });
    expect(mine.status()).toBe(200);
    expect(((await mine.json()) as { source: string }).source).toBe("defaults");

    const search = (await (await request.get("/api/symbols/search?q=sol", { headers: auth })).json()) as {
      symbols: Array<{ id: string; ticker: string }>;
    };
    const sol = search.symbols.find((s) => s.ticker === "SOLUSDT")!;
    const added = await request.post(`/api/users/${owner}/symbols`, {
      headers: auth,
      data: { symbolId: sol.id, isPinned: true },
    });
    expect(added.status()).toBe(201);
    const list = (await (await request.get(`/api/users/${owner}/symbols`, { headers: auth })).json()) as {
      symbols: Array<{ ticker: string }>;
    };
    expect(list.symbols.map((s) => s.ticker)).toEqual(["SOLUSDT"]);

    // IDOR: the owner's token on the stranger's id.
    const refused = await request.get(`/api/users/${stranger}/symbols`, { headers: auth });
    expect(refused.status()).toBe(403);
    expect(refused.headers()["content-type"]).toMatch(/^application\/json/);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("forbidden");

    const anonymous = await request.get(`/api/users/${owner}/symbols`);
    expect(anonymous.status()).toBe(401);
    const unknown = await request.post("/api/no-such-endpoint", { data: {} });
    expect(unknown.status()).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("not_found");
  } finally {
    await deleteEndUser(db.db, owner);
    await deleteEndUser(db.db, stranger);
  }
});

test("staff open the API docs from the navigation and read the endpoints", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signInAs(page, viewer);
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API" }).click();
  await expect(page).toHaveURL(/\/api-docs$/);
  await expect(page.getByRole("heading", { name: "myTrader symbol API", level: 1 })).toBeVisible();
  for (const summary of [
    "The default symbols",
    "A user's symbols",
    "Add a symbol to a user's list",
    "Search active symbols",
  ]) {
    await expect(page.getByRole("article", { name: summary })).toBeVisible();
  }
  await expect(page.getByRole("link", { name: /OpenAPI .* document/ })).toHaveAttribute("href", "/api/openapi.json");
  await screenshot(page, "api-docs");
  // The full page is tall; these two are readable at a glance.
  await page.screenshot({ path: path.join(SCREENS_DIR, "api-docs-top.png") });
  await page
    .getByRole("article", { name: "Add a symbol to a user's list" })
    .screenshot({ path: path.join(SCREENS_DIR, "api-docs-add-symbol.png") });
});

test("the API docs are for staff: a signed-out visitor is sent to sign-in", async ({ page }) => {
  await page.goto("/api-docs");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fapi-docs$/);
});
