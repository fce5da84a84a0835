import { listDefaultsForEditing, saveDefaultOrder } from "../../db/repositories/defaults.js";
import { editSymbol, getSymbolState } from "../../db/repositories/symbols-edit.js";
import { screenshot } from "../support/fixtures.js";
import { expect, expectHydrated, signInAs, test } from "../support/console-fixtures.js";

// These tests change what every other test sees (the default set, its order, BTC), so they run
// one after another; each puts back what it changed.
test.describe.configure({ mode: "serial" });

test("operator raises BTC's broadcast priority from the symbols table", async ({ page, createStaff, db }) => {
  const operator = await createStaff("operator");
  const btc = await db.db.selectFrom("symbols").select("id").where("ticker", "=", "BTCUSDT").executeTakeFirstOrThrow();
  const original = (await getSymbolState(db.db, btc.id))!;
  await editSymbol(db.db, {
    staffId: operator.id,
    symbolId: btc.id,
    version: original.version,
    changes: { broadcast_priority: 70 },
  });
  try {
    await signInAs(page, operator, "/login?redirectTo=/symbols?q=BTCUSDT");
    const priority = page.getByLabel("Broadcast priority of BTCUSDT");
    await expect(priority).toHaveValue("70");
    await priority.fill("85");
    await page.getByRole("button", { name: "Save priority of BTCUSDT" }).click();
    await expect(page.getByRole("button", { name: "Save priority of BTCUSDT" })).toHaveText(/Save/);
    await expect.poll(async () => (await getSymbolState(db.db, btc.id))?.broadcast_priority).toBe(85);
    await page.reload();
    await expect(page.getByLabel("Broadcast priority of BTCUSDT")).toHaveValue("85");
    await page.goto(`/symbols/${btc.id}`);
    await expect(page.getByRole("region", { name: "Audit history" }).getByRole("row").nth(1)).toContainText("70 → 85");
  } finally {
    const now = (await getSymbolState(db.db, btc.id))!;
    await editSymbol(db.db, {
      staffId: operator.id,
      symbolId: btc.id,
      version: now.version,
      changes: { broadcast_priority: original.broadcast_priority },
    });
  }
});

test("operator deprecates a default after a confirmation naming the consequence, and it leaves the defaults", async ({
  page,
  createStaff,
  catalogue,
}) => {
  const operator = await createStaff("operator");
  const symbol = await catalogue.symbol({ isDefault: true, displayOrder: 90 });
  await signInAs(page, operator, "/login?redirectTo=/symbols/defaults");
  await expect(page.getByRole("list", { name: "Default symbols in display order" })).toContainText(symbol.ticker);
  await expect(page.getByText("10 of 9 defaults")).toBeVisible();
  await expect(page.getByText(/rollback trigger/)).toBeVisible();
  await screenshot(page, "defaults-count-warning");

  await page.goto(`/symbols/${symbol.id}`);
  await expectHydrated(page.getByRole("button", { name: "Deprecate" }));
  await page.getByRole("button", { name: "Deprecate" }).click();
  const dialog = page.getByRole("dialog", { name: `Deprecate ${symbol.ticker}?` });
  await expect(dialog).toContainText("deprecating it also removes it from the defaults anonymous users see");
  await screenshot(page, "symbol-deprecate-confirm");
  await dialog.getByRole("button", { name: `Deprecate ${symbol.ticker}` }).click();
  await expect(page.getByRole("button", { name: "Reactivate" })).toBeVisible();
  await expect(page.getByRole("switch", { name: `Default symbol: ${symbol.ticker}` })).toBeDisabled();
  await expect(page.getByText("Deprecated symbols cannot be default: reactivate first.")).toBeVisible();

  await page.goto("/symbols/defaults");
  await expect(page.getByRole("list", { name: "Default symbols in display order" })).not.toContainText(symbol.ticker);
  await expect(page.getByText("9 of 9 defaults")).toBeVisible();
});

test("operator reorders the defaults with the keyboard only, and the order survives a reload", async ({
  page,
  createStaff,
  db,
}) => {
  const operator = await createStaff("operator");
  const before = await listDefaultsForEditing(db.db);
  const [first, second] = [before[0]!, before[1]!];
  try {
    await signInAs(page, operator, "/login?redirectTo=/symbols/defaults");
    const handle = page.getByRole("button", { name: `Reorder ${first.ticker}, position 1 of ${before.length}` });
    // The Move up/down buttons are the no-JavaScript fallback: gone once the page has hydrated.
    await expect(page.getByRole("button", { name: /^Move .* down$/ })).toHaveCount(0);
    await handle.focus();
    await page.keyboard.press("Space");
    await expect(handle).toHaveAttribute("aria-pressed", "true");
    await page.keyboard.press("ArrowDown");
    await expect(page.getByText(new RegExp(`${first.ticker} is over position 2`))).toBeAttached();
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.keyboard.press("Space"),
    ]);
    expect(response.status()).toBe(200);
    await page.reload();
    const items = page.getByRole("list", { name: "Default symbols in display order" }).getByRole("listitem");
    await expect(items.nth(0)).toContainText(second.ticker);
    await expect(items.nth(1)).toContainText(first.ticker);
    await screenshot(page, "defaults");
  } finally {
    const now = await listDefaultsForEditing(db.db);
    const byId = new Map(now.map((d) => [d.id, d]));
    const order = before.filter((d) => byId.has(d.id)).map((d) => ({ id: d.id, version: byId.get(d.id)!.version }));
    if (order.length === now.length) await saveDefaultOrder(db.db, { staffId: operator.id, order });
  }
});

test("operator adds an active symbol as a default from the picker, then removes it", async ({
  page,
  createStaff,
  catalogue,
}) => {
  const operator = await createStaff("operator");
  const symbol = await catalogue.symbol();
  const deprecated = await catalogue.symbol({ isActive: false });
  await signInAs(page, operator, `/login?redirectTo=/symbols/defaults?q=${catalogue.tag}`);
  const matches = page.getByRole("list", { name: "Matching symbols" });
  await expect(matches).toContainText(symbol.ticker);
  await expect(matches).not.toContainText(deprecated.ticker);
  await matches.getByRole("button", { name: `Add ${symbol.ticker} to the defaults` }).click();
  const list = page.getByRole("list", { name: "Default symbols in display order" });
  await expect(list.getByRole("listitem").last()).toContainText(symbol.ticker);
  await expect(page.getByText("10 of 9 defaults")).toBeVisible();
  await list.getByRole("button", { name: `Remove ${symbol.ticker} from the defaults` }).click();
  await expect(list).not.toContainText(symbol.ticker);
  await expect(page.getByText("9 of 9 defaults")).toBeVisible();
});
