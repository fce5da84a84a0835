import { expect, signInAs, test } from "../support/console-fixtures.js";

// Offending rows on /quality lead to where they are fixed: the symbol's page, the user's preview.

test("viewer follows an offending row of the checks to the symbol and to the user's preview", async ({
  page,
  createStaff,
  catalogue,
}) => {
  const viewer = await createStaff("viewer");
  // A preference on a deprecated symbol: the warning "No preference points to an inactive symbol".
  const deprecated = await catalogue.symbol({ isActive: false });
  const user = await catalogue.user([deprecated]);
  await signInAs(page, viewer, "/login?redirectTo=/quality?category=preferences");
  await page.getByRole("button", { name: "Run checks now" }).click();
  await expect(page.getByText(/^Checked at .*: \d+ pass, \d+ warn, \d+ fail, \d+ error\.$/)).toBeVisible({
    timeout: 30_000,
  });
  const check = page
    .getByRole("list", { name: "Check results" })
    .getByRole("listitem", { name: /^No preference points to an inactive symbol/ });
  const row = check.getByRole("row", { name: new RegExp(deprecated.ticker) });
  await expect(row.getByRole("link", { name: `Edit ${deprecated.ticker}` })).toHaveAttribute(
    "href",
    `/symbols/${deprecated.id}`,
  );
  await row.getByRole("link", { name: `Preview user ${user.id.slice(0, 8)}` }).click();
  await expect(page).toHaveURL(new RegExp(`/users/${user.id}/preview$`));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});
