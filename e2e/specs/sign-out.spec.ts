import { expect, expectSignedInAs, signIn, test } from "../support/fixtures.js";

test("sign out ends the session (the old cookie no longer works)", async ({ page, browser, createStaff }, testInfo) => {
  const operator = await createStaff("operator");
  await signIn(page, operator);
  await expectSignedInAs(page, operator);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "__symbol_desk");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);

  // Someone who kept a copy of the cookie gets nowhere: the session was revoked on the server.
  const replay = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  await replay.addCookies(cookies);
  const replayPage = await replay.newPage();
  await replayPage.goto("/");
  await expect(replayPage).toHaveURL(/\/login$/);
  await expect(replayPage.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await replay.close();
});

test("opening /logout in the address bar does not sign anyone out", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signIn(page, viewer);
  await expectSignedInAs(page, viewer);
  await page.goto("/logout");
  await expect(page).toHaveURL(/\/$/);
  await expectSignedInAs(page, viewer);
});

test("signing in again gives a new session id", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signIn(page, viewer);
  await expectSignedInAs(page, viewer);
  const first = (await page.context().cookies()).find((c) => c.name === "__symbol_desk")?.value;
  await page.getByRole("button", { name: "Sign out" }).click();
  // Signed out once the sign-in page shows; navigating earlier races the sign-out request.
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, viewer);
  await expectSignedInAs(page, viewer);
  const second = (await page.context().cookies()).find((c) => c.name === "__symbol_desk")?.value;
  expect(second).toBeTruthy();
  expect(second).not.toBe(first);
});
