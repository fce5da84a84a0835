import { screenshot } from "../support/fixtures.js";
import { expect, expectHydrated, pickUpWithKeyboard, signInAs, test } from "../support/console-fixtures.js";

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
  // The defaults as they stand: another spec may hold a tenth for a moment, so the page is read
  // again until it and the database agree.
  const preview = page.url();
  await expect(async () => {
    const { count } = await db.db
      .selectFrom("symbols")
      .where("is_default_symbol", "=", true)
      .where("is_active", "=", true)
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    await page.goto(preview);
    const anonymous = page.getByRole("region", { name: "Anonymous visitors" }).getByRole("listitem");
    await expect(anonymous).toHaveCount(Number(count), { timeout: 1_000 });
  }).toPass();
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

test("operator reorders a user's preferences by keyboard, hears tickers, and is warned before leaving unsaved changes", async ({
  page,
  createStaff,
  catalogue,
}) => {
  const operator = await createStaff("operator");
  const [a, b] = [await catalogue.symbol(), await catalogue.symbol()];
  const user = await catalogue.user([a, b]);
  await signInAs(page, operator, `/login?redirectTo=/users/${user.id}/preview`);
  const handle = page.getByRole("button", { name: `Reorder ${a.ticker}, position 1` });
  await expectHydrated(handle);

  // The keyboard reorder announces tickers and positions, not the rows' ids.
  // Everything the live region says is recorded: one announcement may replace another at once.
  await page.evaluate(() => {
    const heard: string[] = [];
    (window as unknown as { heard: string[] }).heard = heard;
    new MutationObserver(() => {
      const text = document.querySelector('[id^="DndLiveRegion"]')?.textContent ?? "";
      if (text && heard.at(-1) !== text) heard.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const heard = () => page.evaluate(() => (window as unknown as { heard: string[] }).heard);
  await pickUpWithKeyboard(handle);
  await page.keyboard.press("ArrowDown");
  await expect.poll(heard).toContain(`${a.ticker} is over position 2 of 2.`);
  await page.keyboard.press("Space");
  await expect.poll(heard).toContain(`${a.ticker} dropped at position 2 of 2. Save preferences to keep the new order.`);
  expect(await heard()).toContain(
    `Picked up ${a.ticker}, position 1 of 2. Use the arrow keys to move, Space to drop, Escape to cancel.`,
  );
  expect((await heard()).join(" ")).not.toContain(a.id);
  const rows = page.getByRole("list", { name: "Preferences in saved order" }).getByRole("listitem");
  await expect(rows.nth(0)).toContainText(b.ticker);
  await expect(page.getByText("Unsaved changes.")).toBeVisible();

  // A link inside the console asks first; Cancel keeps the page and the edit.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Users" }).click();
  const leave = page.getByRole("dialog", { name: "Leave without saving?" });
  await expect(leave).toContainText("Changes to this user's preferences are not saved yet.");
  await leave.getByRole("button", { name: "Cancel" }).click();
  await expect(leave).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/users/${user.id}/preview$`));
  await expect(rows.nth(0)).toContainText(b.ticker);

  // Closing or reloading the tab gets the browser's own prompt.
  const prompt = page.waitForEvent("dialog");
  await page.close({ runBeforeUnload: true });
  const beforeUnload = await prompt;
  expect(beforeUnload.type()).toBe("beforeunload");
  await beforeUnload.dismiss();
  expect(page.isClosed()).toBe(false);

  // Saved, nothing is held back; a new edit asked about again can be left behind on purpose.
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByText(/^Saved: \d+ preferences? changed \(audited\)\.$/)).toBeVisible();
  await expect(page.getByText("Unsaved changes.")).toHaveCount(0);
  await page.getByLabel(`Visible ${b.ticker}`).uncheck();
  await page.getByLabel(`Visible ${b.ticker}`).check();
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Users" }).click();
  await expect(page).toHaveURL(/\/users$/);
  await page.goBack();
  await page.getByLabel(`Visible ${b.ticker}`).uncheck();
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Users" }).click();
  await leave.getByRole("button", { name: "Leave without saving" }).click();
  await expect(page).toHaveURL(/\/users$/);
});
