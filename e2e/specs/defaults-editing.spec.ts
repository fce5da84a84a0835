import { addDefault, listDefaultsForEditing, removeDefault, saveDefaultOrder } from "../../db/repositories/defaults.js";
import { editSymbol, getSymbolState } from "../../db/repositories/symbols-edit.js";
import { screenshot } from "../support/fixtures.js";
import {
  expect,
  expectHydrated,
  pickUpWithKeyboard,
  savePriority,
  signInAs,
  test,
} from "../support/console-fixtures.js";

// These tests change what every other test sees (the default set, its order, BTC), so they run
// one after another, each in the defaults' turn; each puts back what it changed.
test.describe.configure({ mode: "serial" });
test.use({ takesDefaultsTurn: true });

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
    await savePriority(page, db.db, { id: btc.id, ticker: "BTCUSDT" }, 85);
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
    await pickUpWithKeyboard(handle);
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
  const add = matches.getByRole("button", { name: `Add ${symbol.ticker} to the defaults` });
  await expectHydrated(add);
  await add.click();
  // A tenth default fires the count trigger: the console asks first and says so.
  const dialog = page.getByRole("dialog", { name: `Make ${symbol.ticker} a default?` });
  await expect(dialog).toContainText("That leaves 10 defaults instead of 9, which fires the rollback trigger");
  await expect(dialog).toContainText("a symbol that never was one goes last");
  await dialog.getByRole("button", { name: `Add ${symbol.ticker}` }).click();
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

test("operator is asked before a default change that fires the count trigger, with its consequence named", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const operator = await createStaff("operator");
  const defaults = await listDefaultsForEditing(db.db);
  expect(defaults).toHaveLength(9);
  const [first, second] = [defaults[0]!, defaults[1]!];

  // Turning a default off on its page: cancelled, nothing changes.
  await signInAs(page, operator, `/login?redirectTo=/symbols/${first.id}`);
  const onPage = page.getByRole("switch", { name: `Default symbol: ${first.ticker}` });
  await expectHydrated(onPage);
  await onPage.click();
  const takeOff = page.getByRole("dialog", { name: `Take ${first.ticker} off the defaults?` });
  await expect(takeOff).toContainText("That leaves 8 defaults instead of 9, which fires the rollback trigger");
  await expect(takeOff).toContainText("Put back later, it returns to its place, #1.");
  await screenshot(page, "default-off-confirm");
  await takeOff.getByRole("button", { name: "Cancel" }).click();
  await expect(takeOff).toBeHidden();
  await expect(onPage).toHaveAttribute("aria-checked", "true");

  // Removing one on the defaults page.
  await page.goto("/symbols/defaults");
  const remove = page.getByRole("button", { name: `Remove ${second.ticker} from the defaults` });
  await expectHydrated(remove);
  await remove.click();
  const removing = page.getByRole("dialog", { name: `Remove ${second.ticker} from the defaults?` });
  await expect(removing).toContainText("That leaves 8 defaults instead of 9");
  await expect(removing).toContainText("#2");
  await removing.getByRole("button", { name: "Cancel" }).click();

  // Bulk deprecation counts the defaults in the selection.
  await page.goto(`/symbols?default=yes&q=${encodeURIComponent(first.ticker)}`);
  const pick = page.getByRole("checkbox", { name: `Select ${first.ticker}` });
  await expectHydrated(pick);
  await pick.check();
  await page.getByLabel("Bulk action").selectOption("deprecate");
  await page.getByRole("button", { name: "Apply to selected" }).click();
  const bulk = page.getByRole("dialog", { name: "Change 1 symbol?" });
  await expect(bulk).toContainText("Deprecate 1 symbol. 1 of them is a default: it leaves the defaults");
  await expect(bulk).toContainText("That leaves 8 defaults instead of 9");
  await bulk.getByRole("button", { name: "Cancel" }).click();

  expect((await listDefaultsForEditing(db.db)).map((d) => d.id)).toEqual(defaults.map((d) => d.id));

  // A tenth from the table's switch: confirmed, saved, and the way back to nine asks nothing.
  const symbol = await catalogue.symbol();
  await page.goto(`/symbols?q=${catalogue.tag}`);
  const row = page.getByRole("row", { name: new RegExp(symbol.ticker) });
  const toggle = row.getByRole("switch", { name: `Default symbol: ${symbol.ticker}` });
  await expectHydrated(toggle);
  await toggle.click();
  const making = page.getByRole("dialog", { name: `Make ${symbol.ticker} a default?` });
  await expect(making).toContainText("That leaves 10 defaults instead of 9");
  await making.getByRole("button", { name: `Make ${symbol.ticker} a default` }).click();
  await expect(
    row.getByRole("status").filter({ hasText: `Default symbol on for ${symbol.ticker}: saved.` }),
  ).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(
    row.getByRole("status").filter({ hasText: `Default symbol off for ${symbol.ticker}: saved.` }),
  ).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  expect((await getSymbolState(db.db, symbol.id))?.is_default_symbol).toBe(false);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("operator taking a default off is asked on the page first, and a forged post without confirm changes nothing", async ({
    page,
    createStaff,
    db,
  }) => {
    const operator = await createStaff("operator");
    const first = (await listDefaultsForEditing(db.db))[0]!;
    await signInAs(page, operator, `/login?redirectTo=/symbols/${first.id}`);
    await page.getByRole("switch", { name: `Default symbol: ${first.ticker}` }).click();
    const question = page.getByRole("alert");
    await expect(question).toContainText(`Take ${first.ticker} off the defaults?`);
    await expect(question).toContainText("That leaves 8 defaults instead of 9, which fires the rollback trigger");
    await question.getByRole("link", { name: "Cancel" }).click();
    expect((await getSymbolState(db.db, first.id))?.is_default_symbol).toBe(true);

    const forged = await page.request.post(`/symbols/${first.id}`, {
      form: { intent: "default", value: "false", version: String(first.version) },
    });
    expect(forged.status()).toBe(400);
    expect((await getSymbolState(db.db, first.id))?.is_default_symbol).toBe(true);
  });

  test("on /symbols/defaults, Remove and Add that fire the count trigger are asked on the page first", async ({
    page,
    createStaff,
    catalogue,
    db,
  }) => {
    const operator = await createStaff("operator");
    const defaults = await listDefaultsForEditing(db.db);
    expect(defaults).toHaveLength(9);
    const second = defaults[1]!;
    const list = page.getByRole("list", { name: "Default symbols in display order" });
    const question = page.getByRole("alert");
    await signInAs(page, operator, "/login?redirectTo=/symbols/defaults");

    // Remove: asked, cancelled (nothing changes), asked again and confirmed.
    const remove = list.getByRole("button", { name: `Remove ${second.ticker} from the defaults` });
    await remove.click();
    await expect(question).toContainText(`Remove ${second.ticker} from the defaults?`);
    await expect(question).toContainText("That leaves 8 defaults instead of 9, which fires the rollback trigger");
    await expect(question).toContainText("Put back later, it returns to its place, #2.");
    await question.getByRole("link", { name: "Cancel" }).click();
    await expect(question).toHaveCount(0);
    expect((await getSymbolState(db.db, second.id))?.is_default_symbol).toBe(true);
    try {
      await remove.click();
      await question.getByRole("button", { name: `Remove ${second.ticker}` }).click();
      await expect(page.getByText("8 of 9 defaults")).toBeVisible();
      await expect(list).not.toContainText(second.ticker);
    } finally {
      const state = (await getSymbolState(db.db, second.id))!;
      if (!state.is_default_symbol)
        await addDefault(db.db, { staffId: operator.id, symbolId: second.id, version: state.version });
    }

    // Add a tenth: asked, then confirmed.
    const symbol = await catalogue.symbol();
    await page.goto(`/symbols/defaults?q=${catalogue.tag}`);
    await expect(page.getByText("9 of 9 defaults")).toBeVisible();
    await page
      .getByRole("list", { name: "Matching symbols" })
      .getByRole("button", { name: `Add ${symbol.ticker} to the defaults` })
      .click();
    await expect(question).toContainText(`Make ${symbol.ticker} a default?`);
    await expect(question).toContainText("That leaves 10 defaults instead of 9, which fires the rollback trigger");
    await expect(question).toContainText("a symbol that never was one goes last");
    expect((await getSymbolState(db.db, symbol.id))?.is_default_symbol).toBe(false);
    try {
      await question.getByRole("button", { name: `Add ${symbol.ticker}` }).click();
      await expect(page.getByText("10 of 9 defaults")).toBeVisible();
      await expect(list.getByRole("listitem").last()).toContainText(symbol.ticker);
    } finally {
      const state = (await getSymbolState(db.db, symbol.id))!;
      if (state.is_default_symbol)
        await removeDefault(db.db, { staffId: operator.id, symbolId: symbol.id, version: state.version });
    }

    // A forged post without confirm=yes is asked, not obeyed.
    const forged = await page.request.post("/symbols/defaults", {
      form: {
        intent: "remove",
        symbolId: second.id,
        version: String((await getSymbolState(db.db, second.id))!.version),
      },
    });
    expect(forged.status()).toBe(400);
    expect((await getSymbolState(db.db, second.id))?.is_default_symbol).toBe(true);
  });
});
