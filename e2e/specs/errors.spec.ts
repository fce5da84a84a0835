import { expect, screenshot, signIn, test } from "../support/fixtures.js";

test("a mistyped address shows a friendly not-found page", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signIn(page, viewer);
  await expect(page).toHaveURL(/\/$/);
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to the home page" })).toBeVisible();
  await expect(page.getByText(/at \w+ \(|node_modules/)).toHaveCount(0);
  await screenshot(page, "not-found");
});
