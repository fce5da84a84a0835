import { expect, refreshSnapshot, screenshot, signInAs, test } from "../support/fixtures.js";

// A viewer walks through the quality, performance, index health and go/no-go panels on the
// shared server: runs the checks, measures the critical queries and opens a plan. Nothing here
// changes the catalogue, so these run beside every other spec.

test("viewer runs the data-quality checks and filters them", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signInAs(page, viewer, "/login?redirectTo=/quality");
  await expect(page.getByRole("heading", { name: "Data quality", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Quality" })).toHaveAttribute(
    "aria-current",
    "page",
  );

  await page.getByRole("button", { name: "Run checks now" }).click();
  await expect(page.getByText(/^Checked at .*: \d+ pass, \d+ warn, \d+ fail, \d+ error\.$/)).toBeVisible({
    timeout: 30_000,
  });
  const checks = page.getByRole("list", { name: "Check results" });
  // Other specs edit the shared catalogue meanwhile, so the verdicts are not pinned here.
  await expect(checks.getByRole("listitem", { name: /^Exactly 9 default symbols: (Pass|Fail)$/ })).toBeVisible();
  await expect(page.getByText(/Latest run .* \(manual by viewer-/)).toBeVisible();
  await expect(
    page.getByRole("region", { name: /Figures/ }).getByText("default symbols", { exact: true }),
  ).toBeVisible();
  // Each check has a trend of its stored runs.
  await expect(
    checks.getByRole("img", { name: /^History of defaults\.count: last \d+ runs?, .*latest (pass|fail)$/ }),
  ).toBeVisible();
  await screenshot(page, "quality");

  await page.getByLabel("Category").selectOption("schema");
  await expect(page).toHaveURL(/category=schema/);
  await expect(
    checks.getByRole("listitem", { name: /^Index ix_symbols_default_order on symbols is present and valid: Pass$/ }),
  ).toBeVisible();
  await expect(checks.getByRole("listitem", { name: /^Exactly 9 default symbols/ })).toHaveCount(0);
  await page.getByLabel("Status").selectOption("fail");
  await expect(page.getByText(/^No check matches this filter/)).toBeVisible();
});

test("viewer measures the critical queries and opens a plan", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signInAs(page, viewer, "/login?redirectTo=/performance");
  await expect(page.getByRole("heading", { name: "Performance", level: 1 })).toBeVisible();

  await page.getByLabel("Runs per query").fill("5");
  await page.getByRole("button", { name: "Measure now" }).click();
  await expect(
    page.getByText(
      new RegExp(
        "^Measured \\(median, PostgreSQL server\\): " +
          "Default symbols [\\d.]+ ms · User symbols [\\d.]+ ms · Broadcast list [\\d.]+ ms\\.$",
      ),
    ),
  ).toBeVisible({ timeout: 30_000 });
  const card = page.getByRole("article", { name: "Default symbols" });
  await expect(card.getByText("under target", { exact: true })).toBeVisible();
  await expect(card.getByText("Execution median", { exact: true })).toBeVisible();
  await expect(card.getByText("Planning p95", { exact: true })).toBeVisible();
  await expect(
    card.getByRole("img", {
      name: /^Default symbols execution median history: \d+ measurements?, latest [\d.]+ ms, target 1 ms$/,
    }),
  ).toBeVisible();
  await screenshot(page, "performance");

  await card.getByRole("link", { name: "Open plan of Default symbols" }).click();
  await expect(page.getByRole("heading", { name: "Plan of Default symbols" })).toBeVisible();
  const tree = page.getByRole("table", { name: "Plan of Default symbols" });
  // On 30 symbols the planner may rightly read the table rather than the partial index.
  await expect(tree.getByText(/^(Index Only Scan|Index Scan|Seq Scan|Bitmap Heap Scan)$/).first()).toBeVisible();
  await expect(tree.getByText("symbols", { exact: true }).first()).toBeVisible();
  await expect(tree.getByText("Slowest node")).toBeVisible();
  await expect(tree.getByRole("columnheader", { name: "Rows est." })).toBeVisible();
  await page.getByText("Raw plan (JSON)").click();
  await expect(page.getByText(/"Node Type": "/).first()).toBeVisible();
  await screenshot(page, "performance-plan");

  // A second measurement to compare with.
  await page.goto("/performance");
  await page.getByLabel("Runs per query").fill("3");
  await page.getByRole("button", { name: "Measure now" }).click();
  await expect(page.getByText(/^Measured \(median/)).toBeVisible({ timeout: 30_000 });
  await page
    .getByRole("article", { name: "Default symbols" })
    .getByRole("link", { name: /Compare with previous/ })
    .click();
  await expect(page.getByText(/same plan|nodes? changed/).first()).toBeVisible();
  await expect(page.getByRole("list", { name: "Plan differences" })).toContainText("on symbols");
  await screenshot(page, "performance-compare");
});

// The board counts the defaults: read in the defaults' turn.
test.describe(() => {
  test.use({ takesDefaultsTurn: true });

  test("viewer reads index health and the go/no-go board", async ({ page, createStaff }) => {
    const viewer = await createStaff("viewer");
    await signInAs(page, viewer, "/login?redirectTo=/performance/indexes");
    await expect(page.getByRole("heading", { name: "Index health" })).toBeVisible();
    const seed = page.getByRole("region", { name: "The seed's indexes" });
    for (const index of [
      "ix_symbols_default_order",
      "ix_symbols_broadcast_queue",
      "ix_symbols_market_broadcast_queue",
      "ix_symbols_data_provider_id",
      "ix_udp_user_visible_order",
      "ix_udp_symbol_id",
    ]) {
      await expect(seed.getByRole("row", { name: new RegExp(`^${index} `) }).getByText("valid")).toBeVisible();
    }
    // PostgreSQL 15 does not record an index's last use: the page says so.
    await expect(seed.getByText("not recorded before PostgreSQL 16").first()).toBeVisible();
    await expect(
      page.getByRole("region", { name: "Table sizes" }).getByRole("row", { name: /^symbols / }),
    ).toBeVisible();
    await screenshot(page, "index-health");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Readiness" }).click();
    await expect(page.getByRole("heading", { name: "Go/no-go" })).toBeVisible();
    await expect(page.getByText(/^as of \d\d:\d\d:\d\d UTC/)).toBeVisible();
    // The board is a stored snapshot: retaken now, it shows this moment's catalogue.
    await refreshSnapshot(page);
    await expect(page.getByRole("region", { name: /^(GO|NO-GO)$/ })).toBeVisible();
    await expect(page.getByRole("row", { name: "Default symbols count: met" })).toContainText("9");
    await expect(page.getByRole("row", { name: "Orphaned records: met" })).toBeVisible();
    await expect(page.getByRole("row", { name: "Default symbols query time: met" })).toBeVisible();
    await expect(page.getByRole("row", { name: /^Index hit ratio: / })).toBeVisible();
    await expect(page.getByText(/^read at \d\d:\d\d:\d\d UTC$/)).toBeVisible();
    // Live refresh can be paused, and says so.
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByText("live refresh paused")).toBeVisible();
    await page.getByRole("button", { name: "Resume" }).click();
    await expect(page.getByText(/refreshes every \d+ s/)).toBeVisible();
    await screenshot(page, "readiness");
  });
});
