import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { screenshot } from "../support/fixtures.js";
import { expect, signInAs, test } from "../support/console-fixtures.js";

// Every console page, as an admin (so the edit and migration controls are there too), scanned
// with axe in the light and the dark colour scheme: no serious or critical violation (contrast
// included). The dark scheme follows the system setting, which emulateMedia stands in for.

const SCHEMES = ["light", "dark"] as const;

async function seriousViolations(page: Page, path: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${path}: ${v.id} (${v.impact}) ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")}`,
    );
}

test("the sign-in page has no serious or critical accessibility violations in either colour scheme", async ({
  page,
}) => {
  const found: string[] = [];
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    await page.goto("/login");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    found.push(...(await seriousViolations(page, `/login (${colorScheme})`)));
    await screenshot(page, `a11y-login-${colorScheme}`);
  }
  expect(found, found.join("\n")).toEqual([]);
});

for (const colorScheme of SCHEMES) {
  test(`the console pages have no serious or critical accessibility violations in the ${colorScheme} colour scheme`, async ({
    page,
    createStaff,
    catalogue,
  }) => {
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme });
    const admin = await createStaff("admin");
    const symbol = await catalogue.symbol();
    const user = await catalogue.user([symbol]);
    await signInAs(page, admin, "/login?redirectTo=/performance");
    // A measurement, so the performance cards and a plan page have content to scan.
    await page.getByLabel("Runs per query").fill("3");
    await page.getByRole("button", { name: "Measure now" }).click();
    await expect(page.getByText(/^Measured \(median/)).toBeVisible({ timeout: 30_000 });
    const planHref = await page.getByRole("link", { name: "Open plan of Default symbols" }).getAttribute("href");
    const pages = [
      ["/", "home"],
      ["/symbols", "symbols"],
      [`/symbols/${symbol.id}`, "symbol"],
      ["/symbols/defaults?q=DOGE", "defaults"],
      ["/broadcast", "broadcast"],
      ["/providers", "providers"],
      ["/audit", "audit"],
      ["/users", "users"],
      [`/users/${user.id}/preview`, "user-preview"],
      ["/quality", "quality"],
      ["/performance", "performance"],
      [planHref!, "plan"],
      ["/performance/indexes", "indexes"],
      ["/migrations", "migrations"],
      ["/readiness", "readiness"],
      ["/api-docs", "api-docs"],
    ] as const;
    // Every page first, then one assertion that lists every violation found.
    const found: string[] = [];
    for (const [path, name] of pages) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      // Open every disclosure (samples, raw plan, confirmations) so their content is scanned too.
      for (const summary of await page.locator("details:not([open]) > summary").all()) await summary.click();
      found.push(...(await seriousViolations(page, `${path} (${colorScheme})`)));
      await screenshot(page, `a11y-${name}-${colorScheme}`);
    }
    expect(found, found.join("\n")).toEqual([]);
  });
}

test("the console follows the system colour scheme", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signInAs(page, viewer);
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.emulateMedia({ colorScheme: "light" });
  const light = await background();
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(background).not.toBe(light);
  // The page is dark: its background's lightness (oklch L) is low.
  expect(Number(/oklch\(([\d.]+)/.exec(await background())?.[1])).toBeLessThan(0.3);
});
