import AxeBuilder from "@axe-core/playwright";
import { expect, signInAs, test } from "../support/fixtures.js";

// The quality, performance, index health, plan, migrations and go/no-go panels scanned with axe
// as an admin (so the migration controls are there too): no serious or critical violation.

test("the quality and migration panels have no serious or critical accessibility violations", async ({
  page,
  createStaff,
}) => {
  test.setTimeout(90_000);
  const admin = await createStaff("admin");
  await signInAs(page, admin, "/login?redirectTo=/performance");
  // A measurement, so the performance cards and a plan page have content to scan.
  await page.getByLabel("Runs per query").fill("3");
  await page.getByRole("button", { name: "Measure now" }).click();
  await expect(page.getByText(/^Measured \(median/)).toBeVisible({ timeout: 30_000 });
  const planHref = await page.getByRole("link", { name: "Open plan of Default symbols" }).getAttribute("href");
  for (const path of ["/quality", "/performance", planHref!, "/performance/indexes", "/migrations", "/readiness"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // Open every disclosure (samples, raw plan, confirmations) so their content is scanned too.
    for (const summary of await page.locator("details:not([open]) > summary").all()) await summary.click();
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${path}: ${v.id} (${v.impact}) ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(" "))
            .join(", ")}`,
      );
    expect(serious, serious.join("\n")).toEqual([]);
  }
});
