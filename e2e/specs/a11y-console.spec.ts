import AxeBuilder from "@axe-core/playwright";
import { screenshot } from "../support/fixtures.js";
import { expect, signInAs, test } from "../support/console-fixtures.js";

// Every console page of the symbol operations area, as an operator (so the edit controls are
// there too), scanned with axe: no serious or critical violation.

test("the console pages have no serious or critical accessibility violations", async ({
  page,
  createStaff,
  catalogue,
}) => {
  test.setTimeout(90_000);
  const operator = await createStaff("operator");
  const symbol = await catalogue.symbol();
  const user = await catalogue.user([symbol]);
  await signInAs(page, operator);
  const pages = [
    ["/symbols", "a11y-symbols"],
    [`/symbols/${symbol.id}`, "a11y-symbol"],
    ["/symbols/defaults?q=DOGE", "a11y-defaults"],
    ["/broadcast", "a11y-broadcast"],
    ["/providers", "a11y-providers"],
    ["/audit", "a11y-audit"],
    ["/users", "a11y-users"],
    [`/users/${user.id}/preview`, "a11y-user-preview"],
  ] as const;
  for (const [path, name] of pages) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
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
    await screenshot(page, name);
  }
});
