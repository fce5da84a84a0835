import { readFile } from "node:fs/promises";
import { expect, type MadeSymbol, signInAs, test } from "../support/console-fixtures.js";

// CSV export of the current /symbols view: its filters and sort, every matching row (not just the
// page shown), cells a spreadsheet cannot run as formulas, and the same role check as the page.

test("viewer exports the filtered, sorted view as CSV, every row of it, formulas defused", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const viewer = await createStaff("viewer");
  const made: MadeSymbol[] = [];
  for (const priority of [10, 90, 40, 70]) made.push(await catalogue.symbol({ priority }));
  // More matches than the page of 25 the table shows.
  for (let i = 0; i < 24; i++) await catalogue.symbol({ priority: 50 });
  const deprecated = await catalogue.symbol({ priority: 99, isActive: false });
  await db.db
    .updateTable("symbols")
    .set({ display: '=HYPERLINK("http://evil.test")' })
    .where("id", "=", made[0]!.id)
    .execute();

  await signInAs(
    page,
    viewer,
    `/login?redirectTo=${encodeURIComponent(`/symbols?q=${catalogue.tag}&active=yes&sort=priority&dir=desc&size=25`)}`,
  );
  const link = page.getByRole("link", { name: /Export CSV/ });
  await expect(link).toHaveAttribute("href", `/symbols.csv?q=${catalogue.tag}&active=yes&sort=priority&dir=desc`);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^symbols-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await readFile((await download.path())!, "utf8");
  const lines = text.trimEnd().split("\r\n");
  expect(lines[0]).toBe(
    "ticker,name,asset_class,market,provider,provider_status,broadcast_priority,default,active,tracked,last_broadcast_at,updated_at,id",
  );
  const tickers = lines.slice(1).map((l) => l.split(",")[0]);
  expect(tickers).toHaveLength(28);
  expect([...tickers.slice(0, 2), ...tickers.slice(-2)]).toEqual(
    [made[1], made[3], made[2], made[0]].map((s) => s!.ticker),
  );
  expect(text).not.toContain(deprecated.ticker);
  const evil = lines.find((l) => l.startsWith(`${made[0]!.ticker},`))!;
  expect(evil).toContain(`"'=HYPERLINK(""http://evil.test"")"`);

  const direct = await page.request.get(`/symbols.csv?q=${catalogue.tag}`);
  expect(direct.status()).toBe(200);
  expect(direct.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(await direct.text()).toContain(deprecated.ticker);
});

test("the CSV export is for signed-in staff only", async ({ page }) => {
  const answer = await page.request.get("/symbols.csv", { maxRedirects: 0 });
  expect(answer.status()).toBe(302);
  expect(answer.headers()["location"]).toMatch(/^\/login\?redirectTo=/);
});
