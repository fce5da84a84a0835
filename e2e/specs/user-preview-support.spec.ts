import { screenshot } from "../support/fixtures.js";
import { expect, signInAs, test } from "../support/console-fixtures.js";

test("operator previews a user's dashboard beside the defaults, hides one preference and the change is audited", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const operator = await createStaff("operator");
  const [a, b, c] = [await catalogue.symbol(), await catalogue.symbol(), await catalogue.symbol()];
  const user = await catalogue.user([a, b, c]);
  await signInAs(page, operator, "/login?redirectTo=/users");
  await page.getByLabel("Email or name").fill(user.email);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: `Preview dashboard of ${user.email}` }).click();

  const dashboard = page.getByRole("region", { name: "This user's dashboard" });
  await expect(dashboard.getByRole("listitem")).toHaveCount(3);
  await expect(page.getByRole("region", { name: "Anonymous visitors" }).getByRole("listitem")).toHaveCount(9);
  await screenshot(page, "user-preview");

  await page.getByLabel(`Visible ${b.ticker}`).uncheck();
  await page.getByLabel(`Pinned ${c.ticker}`).check();
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByText("Saved: 2 preferences changed (audited).")).toBeVisible();
  await expect(dashboard.getByRole("listitem")).toHaveCount(2);
  await expect(dashboard.getByRole("listitem").first()).toContainText(c.ticker);
  const audit = await db.db
    .selectFrom("symbol_audit")
    .select(["field", "after_value"])
    .where("action", "=", `preference:${user.id}`)
    .orderBy("field")
    .execute();
  expect(audit).toEqual([
    { field: "preference.is_pinned", after_value: "true" },
    { field: "preference.is_visible", after_value: "false" },
  ]);
});

test("viewer sees the preview but cannot change preferences, and a forged save gets 403", async ({
  page,
  createStaff,
  catalogue,
}) => {
  const viewer = await createStaff("viewer");
  const a = await catalogue.symbol();
  const user = await catalogue.user([a]);
  await signInAs(page, viewer, `/login?redirectTo=/users/${user.id}/preview`);
  await expect(page.getByRole("region", { name: "This user's dashboard" })).toContainText(a.ticker);
  await expect(page.getByRole("button", { name: "Save preferences" })).toHaveCount(0);
  const forged = await page.request.post(`/users/${user.id}/preview`, { form: { items: a.id, stamp: "1:0" } });
  expect(forged.status()).toBe(403);
});
