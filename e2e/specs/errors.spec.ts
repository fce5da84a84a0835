import { expect, screenshot, signInAs, test } from "../support/fixtures.js";

test("a mistyped address shows a friendly not-found page", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signInAs(page, viewer);
  await expect(page).toHaveURL(/\/$/);
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to the home page" })).toBeVisible();
  await expect(page.getByText(/at \w+ \(|node_modules/)).toHaveCount(0);
  await screenshot(page, "not-found");
});

test("a symbol that does not exist shows not-found inside the console, navigation kept", async ({
  page,
  createStaff,
}) => {
  const viewer = await createStaff("viewer");
  await signInAs(page, viewer);
  await expect(page).toHaveURL(/\/$/);
  const response = await page.goto("/symbols/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByText("There is no symbol at this address.")).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeVisible();
  await nav.getByRole("link", { name: "Symbols", exact: true }).click();
  await expect(page).toHaveURL(/\/symbols$/);
  await expect(page.getByRole("heading", { name: "Page not found" })).toHaveCount(0);
});

test("an operator posting an admin's migration step sees 403 inside the console, navigation kept", async ({
  page,
  createStaff,
}) => {
  const operator = await createStaff("operator");
  await signInAs(page, operator, "/login?redirectTo=/migrations");
  await expect(page.getByRole("heading", { name: "Migrations", level: 1 })).toBeVisible();
  // Operators are shown no migration forms: post one as a plain HTML form would, without JavaScript.
  const answer = page.waitForResponse(
    (r) => new URL(r.url()).pathname === "/migrations" && r.request().method() === "POST",
  );
  await page.evaluate(() => {
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/migrations";
    const intent = Object.assign(document.createElement("input"), { type: "hidden", name: "intent", value: "repair" });
    form.append(intent);
    document.body.append(form);
    HTMLFormElement.prototype.submit.call(form);
  });
  expect((await answer).status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("banner").getByText(operator.displayName, { exact: true })).toBeVisible();
});
