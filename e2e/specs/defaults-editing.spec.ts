import { addDefault, listDefaultsForEditing, removeDefault, saveDefaultOrder } from "../../db/repositories/defaults.js";
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

test("a default taken off and put back returns to its place, and its page's number agrees with the defaults page", async ({
  page,
  createStaff,
  db,
}) => {
  const operator = await createStaff("operator");
  const before = await listDefaultsForEditing(db.db);
  const second = before[1]!;
  try {
    await removeDefault(db.db, { staffId: operator.id, symbolId: second.id, version: second.version });
    // Someone saves the order meanwhile: the others are renumbered 1..8, so its old number is taken.
    const others = await listDefaultsForEditing(db.db);
    await saveDefaultOrder(db.db, {
      staffId: operator.id,
      order: others.map((d) => ({ id: d.id, version: d.version })),
    });
    const off = (await getSymbolState(db.db, second.id))!;
    await addDefault(db.db, { staffId: operator.id, symbolId: second.id, version: off.version });

    await signInAs(page, operator, "/login?redirectTo=/symbols/defaults");
    const items = page.getByRole("list", { name: "Default symbols in display order" }).getByRole("listitem");
    await expect(items).toHaveCount(before.length);
    await expect(items.nth(1)).toContainText(second.ticker);
    await expect(items.nth(2)).toContainText(before[2]!.ticker);
    await page.goto(`/symbols/${second.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Default #2");
    // The last default's number is its place in the list, not a leftover display_order.
    await page.goto(`/symbols/${before.at(-1)!.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`Default #${before.length}`);
  } finally {
    const state = (await getSymbolState(db.db, second.id))!;
    if (!state.is_default_symbol)
      await addDefault(db.db, { staffId: operator.id, symbolId: second.id, version: state.version });
    const now = await listDefaultsForEditing(db.db);
    const byId = new Map(now.map((d) => [d.id, d]));
    const order = before.filter((d) => byId.has(d.id)).map((d) => ({ id: d.id, version: byId.get(d.id)!.version }));
    if (order.length === now.length) await saveDefaultOrder(db.db, { staffId: operator.id, order });
  }
});

test("the rollback banner shows a change to the default count on the very next page, both ways", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const operator = await createStaff("operator");
  await signInAs(page, operator, "/login?redirectTo=/symbols/defaults");
  // Other triggers (a slow query on a busy machine) may fire meanwhile: only this one is watched.
  const countTrigger = page
    .getByRole("region", { name: "Rollback triggers" })
    .getByText(/default symbols instead of 9/);
  // Loaded once before the change, so any cache of the banner holds the old answer.
  await expect(page.getByText("9 of 9 defaults")).toBeVisible();
  await expect(countTrigger).toHaveCount(0);

  // Read once, as the page arrived (no retrying assertion that a later refresh could satisfy).
  const tenth = await catalogue.symbol({ isDefault: true, displayOrder: 95 });
  await page.goto("/broadcast");
  expect(await countTrigger.allTextContents()).toEqual(["10 default symbols instead of 9"]);

  const state = (await getSymbolState(db.db, tenth.id))!;
  await removeDefault(db.db, { staffId: operator.id, symbolId: tenth.id, version: state.version });
  await page.goto("/audit");
  expect(await countTrigger.allTextContents()).toEqual([]);
});
