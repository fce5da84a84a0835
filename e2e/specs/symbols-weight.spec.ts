import { gzipSync } from "node:zlib";
import { expect, expectHydrated, signInAs, test } from "../support/console-fixtures.js";

// The weight of a full /symbols page for an operator (every inline editor shown): one shared
// confirmation dialog instead of one per row, at most 120 KB of HTML for 50 rows, and no layout
// shift worth the name while it loads and hydrates. Sizes and shifts, not timings: speed is the
// bench's (e2e/bench/page-weight.ts prints the same figures for the bench's data set).

const ROWS = 50;
const MAX_HTML_BYTES = 120 * 1024;

// Its default is a tenth for as long as the test runs: in the defaults' turn.
test.use({ takesDefaultsTurn: true });

test("operator's /symbols of 50 rows is at most 120 KB of HTML with one confirmation dialog and no layout shift", async ({
  page,
  createStaff,
  catalogue,
}) => {
  test.setTimeout(120_000);
  const operator = await createStaff("operator");
  // A default among them, so its switch and its confirmation are in the page too.
  await catalogue.symbol({ isDefault: true, displayOrder: 97 });
  for (let i = 1; i < ROWS; i++) await catalogue.symbol({ priority: i });
  const path = `/symbols?q=${catalogue.tag}&size=${ROWS}`;
  // Layout shifts from the first paint on, buffered until the test reads them.
  await page.addInitScript(() => {
    const shifts: number[] = [];
    (window as unknown as { __shifts: number[] }).__shifts = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>)
        if (!entry.hadRecentInput) shifts.push(entry.value);
    }).observe({ type: "layout-shift", buffered: true });
  });
  await signInAs(page, operator, `/login?redirectTo=${encodeURIComponent(path)}`);
  await expect(page.getByRole("row")).toHaveCount(ROWS + 1);

  const response = await page.request.get(path);
  const html = await response.text();
  const bytes = Buffer.byteLength(html);
  const gzipped = gzipSync(html).length;
  const serverDialogs = html.match(/<dialog[\s>]/g)?.length ?? 0;

  await expectHydrated(page.getByRole("checkbox", { name: "Select all symbols on this page" }));
  // Whatever appears after hydration has appeared: the column chooser is its last piece.
  await expect(page.getByText(/^Columns \(/)).toBeVisible();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const figures = await page.evaluate(() => ({
    elements: document.getElementsByTagName("*").length,
    dialogs: document.querySelectorAll("dialog").length,
    cls: (window as unknown as { __shifts: number[] }).__shifts.reduce((sum, value) => sum + value, 0),
  }));
  const report = `/symbols, ${ROWS} rows as an operator: ${bytes} bytes of HTML (${gzipped} gzipped), ${serverDialogs} dialog(s) served, ${figures.elements} elements and ${figures.dialogs} dialog(s) hydrated, layout shift ${figures.cls.toFixed(3)}`;
  console.log(report);
  test.info().annotations.push({ type: "weight", description: report });

  expect(serverDialogs).toBe(1);
  expect(figures.dialogs).toBe(1);
  expect(bytes).toBeLessThanOrEqual(MAX_HTML_BYTES);
  expect(figures.cls).toBeLessThan(0.1);
});
