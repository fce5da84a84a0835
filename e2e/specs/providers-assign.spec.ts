import { screenshot } from "../support/fixtures.js";
import { expect, expectHydrated, signInAs, test } from "../support/console-fixtures.js";

test("operator assigns a provider to every symbol of its market after a confirmation with the count", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const operator = await createStaff("operator");
  const market = await catalogue.market(4);
  const [, secondary] = market.providers;
  await signInAs(page, operator, "/login?redirectTo=/providers");
  const row = page.getByRole("row", { name: new RegExp(secondary!.code) });
  await expect(row.getByRole("cell").nth(4)).toHaveText("0");
  const assign = row.getByRole("button", {
    name: new RegExp(`Assign ${secondary!.code} to all ${market.code} symbols`),
  });
  await expectHydrated(assign);
  await assign.click();
  const dialog = page.getByRole("dialog", { name: `Assign ${secondary!.code} to all ${market.code} symbols?` });
  await expect(dialog).toContainText(`4 of the 4 ${market.code} symbols are served by another provider`);
  await screenshot(page, "providers-assign-confirm");
  await dialog.getByRole("button", { name: "Move 4 symbols" }).click();
  await expect(row).toContainText("4 symbols moved.");
  await expect(row.getByRole("cell").nth(4)).toHaveText("4");
  const moved = await db.db
    .selectFrom("symbols")
    .select("data_provider_id")
    .where("market_id", "=", market.id)
    .execute();
  expect(moved.every((s) => s.data_provider_id === secondary!.id)).toBe(true);
  const audited = await db.db
    .selectFrom("symbol_audit")
    .select("id")
    .where("staff_id", "=", operator.id)
    .where("action", "=", "market_provider")
    .execute();
  expect(audited).toHaveLength(4);
});

test("viewer sees providers with status and counts but no assign buttons, and a forged assign gets 403", async ({
  page,
  createStaff,
  catalogue,
}) => {
  const viewer = await createStaff("viewer");
  const market = await catalogue.market(1);
  await signInAs(page, viewer, "/login?redirectTo=/providers");
  await expect(page.getByRole("row", { name: /BIST_FEED/ })).toContainText("degraded");
  await expect(page.getByRole("button", { name: /Assign/ })).toHaveCount(0);
  await screenshot(page, "providers");
  const forged = await page.request.post("/providers", {
    form: { providerId: market.providers[1]!.id, confirm: "yes" },
  });
  expect(forged.status()).toBe(403);
});
