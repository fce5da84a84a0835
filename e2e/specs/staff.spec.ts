import type { Browser, Page } from "@playwright/test";
import { deleteStaffUser, findStaffByEmail } from "../../db/repositories/staff.js";
import { screenshot } from "../support/fixtures.js";
import { expect, expectHydrated, savePriority, signInWithForm, test } from "../support/console-fixtures.js";

// /staff by role: admins invite, change roles, disable and reset; everyone else is refused, on
// the page and on a forged POST. Invited people choose their password on a one-time link.

const STRONG = "nine-Lemons-quietly-7";

/** Opens a one-time link in a browser of its own and chooses a password, weak first. */
async function choosePasswordOnLink(browser: Browser, baseURL: string, url: string, heading: RegExp) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByRole("heading", { name: heading })).toBeVisible();
  const password = page.getByLabel("New password");
  await password.fill("password1234");
  await page.getByLabel("Repeat password").fill("password1234");
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(password).toHaveAccessibleDescription(/too easy to guess\. This is similar to a commonly used password/);
  await password.fill(STRONG);
  await page.getByLabel("Repeat password").fill(STRONG);
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page.getByRole("heading", { name: "Your password is set" })).toBeVisible();
  // Spent: the same link now answers 410.
  expect((await page.request.get(url)).status()).toBe(410);
  await context.close();
}

async function staffAction(page: Page, name: string, button: string, confirm: string) {
  const trigger = page.getByRole("button", { name: `${button} ${name}`, exact: true });
  await expectHydrated(trigger);
  await trigger.click();
  await page.getByRole("dialog").getByRole("button", { name: confirm }).click();
}

test("an admin invites an operator, who sets a password, signs in and edits a priority", async ({
  page,
  browser,
  createStaff,
  catalogue,
  db,
}, testInfo) => {
  const admin = await createStaff("admin");
  const symbol = await catalogue.symbol({ priority: 20 });
  const email = `invited-${catalogue.tag.toLowerCase()}@e2e.symbol-desk.test`;
  try {
    await signInWithForm(page, admin, "/login?redirectTo=/staff");
    await expect(page.getByRole("heading", { name: "Staff", level: 1 })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Staff" })).toBeVisible();
    const invite = page.getByRole("region", { name: "Invite a staff member" });
    await expectHydrated(invite.getByRole("button", { name: "Create invitation link" }));
    await invite.getByLabel("Name").fill("Ivy Invited");
    await invite.getByLabel("Email").fill(email);
    await invite.getByLabel("Role").selectOption("operator");
    await invite.getByRole("button", { name: "Create invitation link" }).click();
    const link = invite.getByLabel(`Link for ${email}`);
    await expect(link).toBeVisible();
    const url = (await link.textContent())!;
    expect(url).toMatch(/\/password\/[A-Za-z0-9_-]{43}$/);
    const row = page.getByRole("row", { name: /Ivy Invited/ });
    await expect(row.getByText("invited", { exact: true })).toBeVisible();
    await expect(row.getByRole("cell", { name: admin.displayName })).toBeVisible();
    await screenshot(page, "staff-invited");

    await choosePasswordOnLink(browser, testInfo.project.use.baseURL!, url, /Welcome, Ivy Invited/);

    const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
    const operator = await context.newPage();
    await signInWithForm(
      operator,
      { email, password: STRONG, displayName: "Ivy Invited" },
      `/login?redirectTo=/symbols/${symbol.id}`,
    );
    await savePriority(operator, db.db, symbol, 77);
    await context.close();

    await page.goto("/audit");
    const changes = page.getByRole("region", { name: "Staff account changes" });
    await expect(changes.getByRole("row", { name: /Invited.*→ operator/ }).filter({ hasText: email })).toBeVisible();
    await expect(changes.getByRole("row", { name: /Invitation accepted/ }).filter({ hasText: email })).toBeVisible();
  } finally {
    const invited = await findStaffByEmail(db.db, email);
    if (invited) await deleteStaffUser(db.db, invited.id);
  }
});

test("a viewer cannot reach /staff: the page is 403 and a forged POST is 403 and changes nothing", async ({
  page,
  createStaff,
  db,
}) => {
  const viewer = await createStaff("viewer");
  const operator = await createStaff("operator");
  await signInWithForm(page, viewer);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Staff" })).toHaveCount(0);
  const response = await page.goto("/staff");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();

  const forgeries: Array<Record<string, string>> = [
    { intent: "role", staffId: viewer.id, role: "admin" },
    { intent: "disable", staffId: operator.id },
    { intent: "invite", displayName: "Mallory", email: "mallory@e2e.symbol-desk.test", role: "admin" },
  ];
  for (const form of forgeries) {
    const forged = await page.request.post("/staff", { form, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
  }
  const rows = await db.db
    .selectFrom("staff_users")
    .select(["id", "role", "disabled_at"])
    .where("id", "in", [viewer.id, operator.id])
    .orderBy("role")
    .execute();
  expect(rows.map((r) => [r.role, r.disabled_at])).toEqual([
    ["operator", null],
    ["viewer", null],
  ]);
  expect(await findStaffByEmail(db.db, "mallory@e2e.symbol-desk.test")).toBeNull();
});

test("a disabled operator's open page is refused on its next action", async ({
  page,
  browser,
  createStaff,
  catalogue,
  db,
}, testInfo) => {
  const admin = await createStaff("admin");
  const operator = await createStaff("operator");
  const symbol = await catalogue.symbol({ priority: 30 });
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const operatorPage = await context.newPage();
  await signInWithForm(operatorPage, operator, `/login?redirectTo=/symbols/${symbol.id}`);
  const priority = operatorPage.getByLabel(`Broadcast priority of ${symbol.ticker}`);
  await expectHydrated(priority);

  await signInWithForm(page, admin, "/login?redirectTo=/staff");
  await staffAction(page, operator.displayName, "Disable", "Disable account");
  const row = page.getByRole("row", { name: new RegExp(operator.displayName) });
  await expect(row.getByRole("status")).toHaveText("Disabled: every session has ended.");
  await expect(row.getByText("disabled", { exact: true })).toBeVisible();

  await priority.fill("90");
  await operatorPage.getByRole("button", { name: `Save priority of ${symbol.ticker}` }).click();
  await expect(operatorPage).toHaveURL(/\/login/);
  const stored = await db.db
    .selectFrom("symbols")
    .select("broadcast_priority")
    .where("id", "=", symbol.id)
    .executeTakeFirstOrThrow();
  expect(stored.broadcast_priority).toBe(30);
  // Nor can the account sign in again.
  await operatorPage.getByLabel("Email").fill(operator.email);
  await operatorPage.getByLabel("Password").fill(operator.password);
  await operatorPage.getByRole("button", { name: "Sign in" }).click();
  await expect(operatorPage.getByRole("alert")).toHaveText("The email or password is incorrect.");
  await context.close();
});

test("an admin resets an operator's password: the old session ends, and the link refuses a weak password with its reason", async ({
  page,
  browser,
  createStaff,
}, testInfo) => {
  const admin = await createStaff("admin");
  const operator = await createStaff("operator");
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const operatorPage = await context.newPage();
  await signInWithForm(operatorPage, operator);

  await signInWithForm(page, admin, "/login?redirectTo=/staff");
  await staffAction(page, operator.displayName, "Reset password of", "Reset password");
  const link = page.getByLabel(`Link for ${operator.email}`);
  await expect(link).toBeVisible();
  const url = (await link.textContent())!;

  await operatorPage.reload();
  await expect(operatorPage).toHaveURL(/\/login/);
  await choosePasswordOnLink(browser, testInfo.project.use.baseURL!, url, /Choose a new password/);
  await signInWithForm(operatorPage, { ...operator, password: STRONG });
  await context.close();
});
