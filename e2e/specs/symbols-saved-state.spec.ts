import { editSymbol } from "../../db/repositories/symbols-edit.js";
import { screenshot } from "../support/fixtures.js";
import { expect, expectHydrated, signInAs, test } from "../support/console-fixtures.js";

// An inline save says so, briefly, in a live region: the changed timestamp alone is easy to miss
// and a screen reader hears nothing of it.

test("operator's inline saves on /symbols announce a short success state", async ({ page, createStaff, catalogue }) => {
  const operator = await createStaff("operator");
  const symbol = await catalogue.symbol({ priority: 30 });
  await signInAs(page, operator, `/login?redirectTo=/symbols?q=${catalogue.tag}`);
  const row = page.getByRole("row", { name: new RegExp(symbol.ticker) });

  const save = row.getByRole("button", { name: `Save priority of ${symbol.ticker}` });
  await expectHydrated(save);
  await row.getByLabel(`Broadcast priority of ${symbol.ticker}`).fill("64");
  await save.click();
  await expect(row.getByRole("status").filter({ hasText: `Priority of ${symbol.ticker} saved.` })).toBeVisible();
  await expect(row.getByText("✓ Saved")).toBeVisible();
  await screenshot(page, "symbols-saved-state");
  // Short: it goes away by itself.
  await expect(row.getByText("✓ Saved")).toHaveCount(0, { timeout: 8_000 });

  await row.getByLabel(`Data provider of ${symbol.ticker}`).selectOption({ label: "BINANCE_REST · connected" });
  await row.getByRole("button", { name: `Set provider of ${symbol.ticker}` }).click();
  await expect(row.getByRole("status").filter({ hasText: `Data provider of ${symbol.ticker} saved.` })).toBeVisible();

  await row.getByRole("switch", { name: `Tracked: ${symbol.ticker}` }).click();
  await expect(row.getByRole("status").filter({ hasText: `Tracked off for ${symbol.ticker}: saved.` })).toBeVisible();
});

test("operator's undo on a symbol's page announces what it restored", async ({ page, createStaff, catalogue, db }) => {
  const operator = await createStaff("operator");
  const symbol = await catalogue.symbol({ priority: 20 });
  await editSymbol(db.db, {
    staffId: operator.id,
    symbolId: symbol.id,
    version: 1,
    changes: { broadcast_priority: 75 },
  });
  await signInAs(page, operator, `/login?redirectTo=/symbols/${symbol.id}`);
  const history = page.getByRole("region", { name: "Audit history" });
  const undo = history.getByRole("button", { name: "Undo latest Broadcast priority change" });
  await expectHydrated(undo);
  await undo.click();
  await expect(history.getByRole("status")).toContainText("Undone: Broadcast priority restored.");
  await expect(page.getByLabel(`Broadcast priority of ${symbol.ticker}`)).toHaveValue("20");
  // After the undo the undo itself is the one latest change offered, and it says so on its face.
  await expect(history.getByRole("button", { name: /Undo latest/ })).toHaveCount(1);
  await expect(history.getByRole("row").nth(1).getByRole("button")).toHaveText(/Undo latest/);
});
