import { expect, screenshot, signInAs, test } from "../support/fixtures.js";

// The home page's figures and check summary are a stored snapshot: the page says as of when, and
// a viewer retakes it with "Refresh now". Nothing here changes the catalogue.

test("viewer refreshes the home page's figures now and sees the new as-of time", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signInAs(page, viewer, "/login?redirectTo=/");
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  const asOf = page.getByText(/· as of \d\d:\d\d:\d\d UTC/);
  await expect(asOf).toBeVisible();
  const before = await asOf.locator("time").getAttribute("datetime");

  const refresh = page.getByRole("button", { name: "Refresh now" });
  await refresh.click();
  const done = page.getByText(/^Refreshed at (\d\d:\d\d:\d\d) UTC\.$/);
  await expect(done).toBeVisible({ timeout: 30_000 });
  const refreshedAt = /(\d\d:\d\d:\d\d)/.exec((await done.textContent())!)![1]!;
  // The page re-read the snapshot: its as-of time moved on, to no later than the refresh's end.
  await expect(asOf.locator("time")).not.toHaveAttribute("datetime", before!);
  const after = (await asOf.locator("time").getAttribute("datetime"))!;
  expect(after > before!).toBe(true);
  expect(after.slice(11, 19) <= refreshedAt).toBe(true);
  await expect(refresh).toBeEnabled();
  await expect(page.getByRole("heading", { name: "Data quality figures" })).toBeVisible();
  await screenshot(page, "home-refreshed");
});
