import { editSymbol } from "../../db/repositories/symbols-edit.js";
import { screenshot } from "../support/fixtures.js";
import { expect, signInAs, test } from "../support/console-fixtures.js";

test("viewer sees the symbols read-only, and a forged POST gets 403 and changes nothing", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const viewer = await createStaff("viewer");
  const symbol = await catalogue.symbol({ priority: 40 });
  await signInAs(page, viewer, `/login?redirectTo=/symbols?q=${catalogue.tag}`);
  const row = page.getByRole("row", { name: new RegExp(symbol.ticker) });
  await expect(row).toBeVisible();
  await expect(row.getByRole("cell", { name: "40", exact: true })).toBeVisible();
  await expect(page.getByRole("searchbox")).toHaveCount(1);
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await expect(page.getByRole("spinbutton")).toHaveCount(0);
  await expect(page.getByRole("switch")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Deprecate|Save|Apply to selected/ })).toHaveCount(0);
  await expect(page.getByText("You have read-only access.")).toBeVisible();
  await screenshot(page, "symbols-viewer");

  const forged = await page.request.post(`/symbols/${symbol.id}`, {
    form: { intent: "priority", version: "1", priority: "99" },
  });
  expect(forged.status()).toBe(403);
  const stored = await db.db
    .selectFrom("symbols")
    .select(["broadcast_priority", "version"])
    .where("id", "=", symbol.id)
    .executeTakeFirstOrThrow();
  expect(stored).toEqual({ broadcast_priority: 40, version: 1 });
});

test("operator's stale edit shows who changed the symbol and its current value (409)", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const operator = await createStaff("operator");
  const colleague = await createStaff("operator");
  const symbol = await catalogue.symbol({ priority: 30 });
  await signInAs(page, operator, `/login?redirectTo=/symbols/${symbol.id}`);
  await expect(page.getByRole("heading", { name: symbol.ticker })).toBeVisible();
  // A colleague saves first, after this page was loaded.
  await editSymbol(db.db, {
    staffId: colleague.id,
    symbolId: symbol.id,
    version: 1,
    changes: { broadcast_priority: 10 },
  });

  const priority = page.getByLabel(`Broadcast priority of ${symbol.ticker}`);
  await priority.fill("60");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: `Save priority of ${symbol.ticker}` }).click(),
  ]);
  expect(response.status()).toBe(409);
  await expect(priority).toHaveAccessibleDescription(new RegExp(`changed by ${colleague.displayName}.*It is now 10`));
  await expect(priority).toHaveValue("10");
  await screenshot(page, "symbol-conflict");
  const stored = await db.db
    .selectFrom("symbols")
    .select("broadcast_priority")
    .where("id", "=", symbol.id)
    .executeTakeFirstOrThrow();
  expect(stored.broadcast_priority).toBe(10);
});

test("operator's out-of-range or non-numeric priority is refused beside the field, and oversized bodies get 413", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const operator = await createStaff("operator");
  const symbol = await catalogue.symbol({ priority: 45 });
  await signInAs(page, operator, `/login?redirectTo=/symbols?q=${catalogue.tag}`);
  const priority = page.getByLabel(`Broadcast priority of ${symbol.ticker}`);
  for (const [value, message] of [
    ["150", "at most 100"],
    ["-3", "whole number"],
  ] as const) {
    await priority.fill(value);
    await page.getByRole("button", { name: `Save priority of ${symbol.ticker}` }).click();
    await expect(priority).toHaveAccessibleDescription(new RegExp(message));
  }
  const nonNumeric = await page.request.post(`/symbols/${symbol.id}`, {
    form: { intent: "priority", version: "1", priority: "high" },
  });
  expect(nonNumeric.status()).toBe(400);
  const huge = await page.request.post(`/symbols/${symbol.id}`, {
    form: { intent: "priority", version: "1", priority: "1", pad: "x".repeat(100_000) },
  });
  expect(huge.status()).toBe(413);
  const unknown = await page.request.post(`/symbols/00000000-0000-0000-0000-000000000000`, {
    form: { intent: "priority", version: "1", priority: "1" },
  });
  expect(unknown.status()).toBe(404);
  const stored = await db.db
    .selectFrom("symbols")
    .select(["broadcast_priority", "version"])
    .where("id", "=", symbol.id)
    .executeTakeFirstOrThrow();
  expect(stored).toEqual({ broadcast_priority: 45, version: 1 });
});

test("operator picks only a provider of the symbol's market; another market's provider is refused", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const operator = await createStaff("operator");
  const symbol = await catalogue.symbol();
  await signInAs(page, operator, `/login?redirectTo=/symbols/${symbol.id}`);
  const picker = page.getByLabel(`Data provider of ${symbol.ticker}`);
  await expect(picker.getByRole("option")).toHaveText(["BINANCE_REST · connected", "BINANCE_WS · connected"]);
  await picker.selectOption({ label: "BINANCE_REST · connected" });
  await page.getByRole("button", { name: `Set provider of ${symbol.ticker}` }).click();
  await expect(
    page
      .getByRole("cell", { name: "BINANCE_REST" })
      .or(page.getByText("BINANCE_REST → ", { exact: false }))
      .first(),
  ).toBeVisible();
  const bist = await db.db
    .selectFrom("data_providers")
    .select("id")
    .where("code", "=", "BIST_FEED")
    .executeTakeFirstOrThrow();
  const version = (
    await db.db.selectFrom("symbols").select("version").where("id", "=", symbol.id).executeTakeFirstOrThrow()
  ).version;
  const forged = await page.request.post(`/symbols/${symbol.id}`, {
    form: { intent: "provider", version: String(version), providerId: bist.id },
  });
  expect(forged.status()).toBe(400);
  const stored = await db.db
    .selectFrom("symbols as s")
    .innerJoin("data_providers as p", "p.id", "s.data_provider_id")
    .select("p.code")
    .where("s.id", "=", symbol.id)
    .executeTakeFirstOrThrow();
  expect(stored.code).toBe("BINANCE_REST");
});

test("operator untracks selected symbols in bulk after a confirmation that states the count", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const operator = await createStaff("operator");
  const made = [await catalogue.symbol(), await catalogue.symbol(), await catalogue.symbol()];
  await signInAs(page, operator, `/login?redirectTo=/symbols?q=${catalogue.tag}`);
  await expect(page.getByRole("row")).toHaveCount(4);
  await page.getByLabel("Select all symbols on this page").check();
  await expect(page.getByText("3 selected")).toBeVisible();
  await page.getByLabel("Bulk action").selectOption("untrack");
  await page.getByRole("button", { name: "Apply to selected" }).click();
  const dialog = page.getByRole("dialog", { name: "Change 3 symbols?" });
  await expect(dialog).toContainText("Stop tracking 3 symbols");
  await screenshot(page, "symbols-bulk-confirm");
  await dialog.getByRole("button", { name: "Change 3 symbols" }).click();
  await expect(page.getByText("Done: 3 symbols changed.")).toBeVisible();
  const rows = await db.db
    .selectFrom("symbols")
    .select("is_tracked")
    .where(
      "id",
      "in",
      made.map((m) => m.id),
    )
    .execute();
  expect(rows.map((r) => r.is_tracked)).toEqual([false, false, false]);
});

test("search, filters and sort live in the URL, and Back restores the previous view", async ({
  page,
  createStaff,
  catalogue,
}) => {
  const viewer = await createStaff("viewer");
  await catalogue.symbol({ priority: 10 });
  await catalogue.symbol({ priority: 90 });
  await signInAs(page, viewer, "/login?redirectTo=/symbols");
  await expect(page.getByRole("heading", { name: "Symbols" })).toBeVisible();
  await screenshot(page, "symbols");
  await page.getByLabel("Search ticker or name").fill(catalogue.tag);
  await page.getByLabel("Status").selectOption("yes");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${catalogue.tag}.*active=yes`));
  await expect(page.getByRole("row")).toHaveCount(3);
  // The table's links navigate within the app once it has hydrated: a reload would drop this mark.
  await expect(page.getByText(/^Columns \(/)).toBeVisible();
  await page.evaluate(() => ((window as unknown as { __stayed: boolean }).__stayed = true));
  const stayed = () => page.evaluate(() => (window as unknown as { __stayed?: boolean }).__stayed === true);
  await page.getByRole("link", { name: /^Priority/ }).click();
  await expect(page).toHaveURL(/sort=priority&dir=desc/);
  await expect(page.getByRole("row").nth(1)).toContainText(`${catalogue.tag}S2`);
  await page.getByRole("link", { name: /^Priority/ }).click();
  await expect(page).toHaveURL(/sort=priority&dir=asc/);
  await expect(page.getByRole("row").nth(1)).toContainText(`${catalogue.tag}S1`);
  await page.goBack();
  await expect(page).toHaveURL(/sort=priority&dir=desc/);
  await expect(page.getByRole("row").nth(1)).toContainText(`${catalogue.tag}S2`);
  await page.getByRole("link", { name: `${catalogue.tag}S2`, exact: true }).click();
  await expect(page).toHaveURL(/\/symbols\/[0-9a-f-]{36}$/);
  expect(await stayed()).toBe(true);
  // So do the header's.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Symbols" }).click();
  await expect(page).toHaveURL(/\/symbols$/);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Symbols" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  expect(await stayed()).toBe(true);
  await page.goto("/symbols?sort=drop_table&dir=sideways&size=7");
  await expect(page.getByRole("columnheader", { name: /Ticker/ })).toHaveAttribute("aria-sort", "ascending");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("operator saves a priority and deprecates after the confirmation page, with plain forms", async ({
    page,
    createStaff,
    catalogue,
    db,
  }) => {
    const operator = await createStaff("operator");
    const symbol = await catalogue.symbol({ priority: 33 });
    await signInAs(page, operator, `/login?redirectTo=/symbols?q=${catalogue.tag}`);
    await page.getByLabel(`Broadcast priority of ${symbol.ticker}`).fill("66");
    await page.getByRole("button", { name: `Save priority of ${symbol.ticker}` }).click();
    await expect(page).toHaveURL(new RegExp(`/symbols\\?q=${catalogue.tag}`));
    await expect(page.getByLabel(`Broadcast priority of ${symbol.ticker}`)).toHaveValue("66");

    await page.getByRole("button", { name: `Deprecate ${symbol.ticker}` }).click();
    await expect(page.getByRole("alert")).toContainText(`Deprecate ${symbol.ticker}?`);
    await page
      .getByRole("button", { name: `Deprecate ${symbol.ticker}` })
      .last()
      .click();
    const stored = await db.db
      .selectFrom("symbols")
      .select(["broadcast_priority", "is_active"])
      .where("id", "=", symbol.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ broadcast_priority: 66, is_active: false });
  });
});
