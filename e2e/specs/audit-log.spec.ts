import { editSymbol } from "../../db/repositories/symbols-edit.js";
import { screenshot } from "../support/fixtures.js";
import { expect, signInAs, test } from "../support/console-fixtures.js";

test("operator finds a colleague's change in the audit log by staff member and field, and undoes it on the symbol's page", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const operator = await createStaff("operator");
  const colleague = await createStaff("operator");
  const symbol = await catalogue.symbol({ priority: 20 });
  await editSymbol(db.db, {
    staffId: colleague.id,
    symbolId: symbol.id,
    version: 1,
    changes: { broadcast_priority: 75 },
  });
  await editSymbol(db.db, { staffId: colleague.id, symbolId: symbol.id, version: 2, changes: { is_tracked: false } });

  await signInAs(page, operator, "/login?redirectTo=/audit");
  await page.getByLabel("Staff member").selectOption({ label: colleague.displayName });
  await page.getByLabel("Field").selectOption({ label: "Broadcast priority" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`staff=${colleague.id}.*field=broadcast_priority`));
  const rows = page.getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText(symbol.ticker);
  await expect(rows.nth(1)).toContainText("20 → 75");
  await screenshot(page, "audit");

  await rows.nth(1).getByRole("link", { name: symbol.ticker }).click();
  const history = page.getByRole("region", { name: "Audit history" });
  await history
    .getByRole("row", { name: /Broadcast priority/ })
    .getByRole("button", { name: "Undo latest Broadcast priority change" })
    .click();
  await expect(page.getByLabel(`Broadcast priority of ${symbol.ticker}`)).toHaveValue("20");
  await expect(history.getByRole("row").nth(1)).toContainText("75 → 20");
  // The priority entry's after-value (75) is no longer current: it offers no undo any more.
  await expect(history.getByRole("row", { name: /20 → 75/ }).getByRole("button")).toHaveCount(0);
  await screenshot(page, "symbol-detail");
});

test("the audit log filtered to a day with no changes says so", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signInAs(page, viewer, `/login?redirectTo=${encodeURIComponent("/audit?from=2001-01-01&to=2001-01-02")}`);
  await expect(page.getByText("No audit entries match these filters.")).toBeVisible();
});

test("after an undo, the symbol's history offers one undo per field: the latest", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const operator = await createStaff("operator");
  const symbol = await catalogue.symbol({ priority: 20 });
  await editSymbol(db.db, {
    staffId: operator.id,
    symbolId: symbol.id,
    version: 1,
    changes: { broadcast_priority: 75 },
  });
  await editSymbol(db.db, {
    staffId: operator.id,
    symbolId: symbol.id,
    version: 2,
    changes: { broadcast_priority: 40 },
  });

  await signInAs(page, operator, `/login?redirectTo=/symbols/${symbol.id}`);
  const history = page.getByRole("region", { name: "Audit history" });
  const undo = history.getByRole("button", { name: "Undo latest Broadcast priority change" });
  await expect(undo).toHaveCount(1);
  await expect(history.getByRole("row", { name: /40 → 75|75 → 40/ }).getByRole("button")).toHaveCount(1);
  await history
    .getByRole("row", { name: /75 → 40/ })
    .getByRole("button", { name: /Undo/ })
    .click();
  await expect(page.getByLabel(`Broadcast priority of ${symbol.ticker}`)).toHaveValue("75");

  // The undo (40 → 75) is now the latest; the first edit (20 → 75) also left 75 but offers nothing.
  await expect(history.getByRole("row").nth(1)).toContainText("40 → 75");
  await expect(undo).toHaveCount(1);
  await expect(history.getByRole("row", { name: /40 → 75/ }).getByRole("button", { name: /Undo/ })).toHaveCount(1);
  await expect(history.getByRole("row", { name: /20 → 75/ }).getByRole("button")).toHaveCount(0);
  await screenshot(page, "symbol-history-after-undo");
});
