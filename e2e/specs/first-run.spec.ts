import { expect, expectSignedInAs, screenshot, test } from "../support/fixtures.js";

// Runs against the server on a fresh embedded database with no staff at all.

test("first visitor creates the first admin", async ({ page, browser }, testInfo) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Create the first admin" })).toBeVisible();
  await screenshot(page, "setup");

  // Nothing filled in: every field says what it needs, beside it.
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByLabel("Your name")).toHaveAccessibleDescription("Enter your name.");
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription("Enter your email address.");
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Your name").fill("Ada Admin");
  await page.getByLabel("Email").fill("ada@example.com");
  await page.getByLabel("Password", { exact: true }).fill("first-admin-password");
  await page.getByLabel("Repeat password").fill("something else");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByLabel("Repeat password")).toHaveAccessibleDescription("The passwords do not match.");
  await screenshot(page, "setup-errors");

  // A weak password is refused with the estimator's reason (the one rule of db/rules/password.ts).
  await page.getByLabel("Password", { exact: true }).fill("password1234");
  await page.getByLabel("Repeat password").fill("password1234");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByLabel("Password", { exact: true })).toHaveAccessibleDescription(
    /too easy to guess\. This is similar to a commonly used password/,
  );

  await page.getByLabel("Password", { exact: true }).fill("first-admin-password");
  await page.getByLabel("Repeat password").fill("first-admin-password");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await expectSignedInAs(page, { displayName: "Ada Admin", role: "admin" });
  await expect(page.getByRole("region", { name: "Data-quality checks" }).getByText(/^Go: /)).toBeVisible();
  await screenshot(page, "home-first-run");

  // From now on a signed-out visitor gets the sign-in page, not setup.
  const visitor = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const visitorPage = await visitor.newPage();
  await visitorPage.goto("/setup");
  await expect(visitorPage).toHaveURL(/\/login$/);
  await expect(visitorPage.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await visitor.close();
});
