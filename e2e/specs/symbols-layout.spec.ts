import type { Page } from "@playwright/test";
import { screenshot } from "../support/fixtures.js";
import { expect, expectHydrated, signInAs, test } from "../support/console-fixtures.js";

// /symbols on a 1024 px window: no page-wide horizontal scroll, a column chooser that the next
// visit remembers, and "/" to jump to the search box.

test.use({ viewport: { width: 1024, height: 768 } });

const pageScrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

test("operator's /symbols fits a 1024 px window, and the columns they hide stay hidden next time", async ({
  page,
  createStaff,
}) => {
  const operator = await createStaff("operator");
  await signInAs(page, operator, "/login?redirectTo=/symbols");
  const table = page.getByRole("table");
  await expect(table.getByRole("columnheader", { name: /Last broadcast/ })).toBeVisible();
  expect(await pageScrollsSideways(page)).toBe(false);
  await screenshot(page, "symbols-1024");

  const chooser = page.getByText(/^Columns \(/);
  await expectHydrated(page.getByRole("link", { name: /Export CSV/ }));
  await chooser.click();
  const columns = page.getByRole("group", { name: "Columns to show" });
  await columns.getByRole("checkbox", { name: "Last broadcast" }).uncheck();
  await columns.getByRole("checkbox", { name: "Class" }).uncheck();
  await expect(table.getByRole("columnheader", { name: /Last broadcast/ })).toHaveCount(0);
  await expect(table.getByRole("columnheader", { name: /^Class/ })).toHaveCount(0);

  // Remembered: the server renders the same columns on the next visit.
  const html = await (await page.request.get("/symbols")).text();
  expect(html).not.toContain("Last broadcast<");
  expect(html).toContain("Last change<");
  await page.reload();
  await expect(table.getByRole("columnheader", { name: /Last change/ })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: /Last broadcast/ })).toHaveCount(0);
  await page.getByText(/^Columns \(/).click();
  await expect(columns.getByRole("checkbox", { name: "Last broadcast" })).not.toBeChecked();
  await columns.getByRole("checkbox", { name: "Last broadcast" }).check();
  await expect(table.getByRole("columnheader", { name: /Last broadcast/ })).toBeVisible();
});

test("viewer presses / to jump to the search box, but not while typing in a field", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signInAs(page, viewer, "/login?redirectTo=/symbols");
  const search = page.getByRole("searchbox", { name: "Search ticker or name" });
  await expectHydrated(search);
  await page.getByRole("heading", { name: "Symbols", level: 1 }).click();
  await page.keyboard.press("/");
  await expect(search).toBeFocused();
  await page.keyboard.type("BTC/");
  await expect(search).toHaveValue("BTC/");
  const market = page.getByRole("combobox", { name: "Market" });
  await market.focus();
  await page.keyboard.press("/");
  await expect(market).toBeFocused();
});
