import { screenshot } from "../support/fixtures.js";
import { expect, expectHydrated, signInWithForm, test } from "../support/console-fixtures.js";

// /account, for every role: one's own password and sessions.

const STRONG = "nine-Lemons-quietly-7";

test("a viewer changes their password: the current one is required, a weak one is refused with its reason, other sessions end", async ({
  page,
  browser,
  createStaff,
}, testInfo) => {
  const viewer = await createStaff("viewer");
  const elsewhere = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const otherPage = await elsewhere.newPage();
  await signInWithForm(otherPage, viewer);
  await signInWithForm(page, viewer);
  await page.getByRole("link", { name: /\(your account\)$/ }).click();
  await expect(page.getByRole("heading", { name: "Your account", level: 1 })).toBeVisible();
  const sessions = page.getByRole("region", { name: "Your sessions" });
  await expect(sessions.getByRole("row")).toHaveCount(3);
  await expect(sessions.getByText(/Chrom\w+ \d+ on Linux ?\(this browser\)/)).toBeVisible();

  const form = page.getByRole("region", { name: "Change your password" });
  const submit = form.getByRole("button", { name: "Change password" });
  await expectHydrated(submit);
  await form.getByLabel("Current password").fill("not my password at all");
  await form.getByLabel("New password", { exact: true }).fill(STRONG);
  await form.getByLabel("Repeat new password").fill(STRONG);
  await submit.click();
  await expect(form.getByLabel("Current password")).toHaveAccessibleDescription("The current password is not right.");

  await form.getByLabel("Current password").fill(viewer.password);
  await form.getByLabel("New password", { exact: true }).fill("password1234");
  await form.getByLabel("Repeat new password").fill("password1234");
  await submit.click();
  await expect(form.getByLabel("New password", { exact: true })).toHaveAccessibleDescription(
    /too easy to guess\. This is similar to a commonly used password/,
  );

  await form.getByLabel("Current password").fill(viewer.password);
  await form.getByLabel("New password", { exact: true }).fill(STRONG);
  await form.getByLabel("Repeat new password").fill(STRONG);
  await submit.click();
  await expect(form.getByRole("status")).toHaveText("Password changed. 1 other session ended.");
  await expect(sessions.getByRole("row")).toHaveCount(2);
  await screenshot(page, "account");

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/login/);
  await signInWithForm(otherPage, { ...viewer, password: STRONG });
  await elsewhere.close();
});

test("an operator signs out everywhere: every browser's session ends", async ({
  page,
  browser,
  createStaff,
}, testInfo) => {
  const operator = await createStaff("operator");
  const elsewhere = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const otherPage = await elsewhere.newPage();
  await signInWithForm(otherPage, operator);
  await signInWithForm(page, operator, "/login?redirectTo=/account");
  const everywhere = page.getByRole("button", { name: "Sign out everywhere" });
  await expectHydrated(everywhere);
  await everywhere.click();
  await page.getByRole("dialog").getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/login/);
  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/login/);
  await elsewhere.close();
});
