import { readdirSync } from "node:fs";
import { inviteStaff } from "../../db/repositories/staff-management.js";
import { expect, pickUpWithKeyboard, test } from "../support/console-fixtures.js";
import { pageViolations, watchViolations } from "../support/csp-violations.js";
import { signInAs } from "../support/fixtures.js";

// Every page of the console under its Content-Security-Policy: a violation (an inline script
// without the nonce, an eval, a style or image from elsewhere) is recorded by the page itself
// and reported here, together with console errors that mention the policy. The pages are shown
// with what they draw when there is data: check and measurement charts, a query plan, the
// rendered AsyncAPI document, a keyboard drag of the defaults with its live announcements.
// /setup is covered by first-run.spec.ts, on the server that has no staff yet.

test("admin opens every page and the browser reports no CSP violation", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  // Two chart-producing runs (checks, measurements) besides every page: longer than one page visit.
  test.setTimeout(180_000);
  const symbol = await catalogue.symbol();
  const user = await catalogue.user([symbol]);
  const admin = await createStaff("admin");
  const violations = await watchViolations(page);

  const signInResponse = await page.goto("/login");
  expect(signInResponse?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
  await signInAs(page, admin);
  await expect(page).toHaveURL(/\/$/);

  // Data for the charts and a plan, made the way an admin makes it.
  await page.goto("/quality");
  await page.getByRole("button", { name: "Run checks now" }).click();
  await expect(page.getByText(/^Checked at /)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("img", { name: /^History of defaults\.count: / })).toBeVisible();
  await page.goto("/performance");
  await page.getByLabel("Runs per query").fill("3");
  await page.getByRole("button", { name: "Measure now" }).click();
  await expect(page.getByText(/^Measured \(median/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("img", { name: /^Default symbols execution median history: / })).toBeVisible();
  await page.getByRole("link", { name: "Open plan of Default symbols" }).click();
  await expect(page.getByRole("heading", { name: "Plan of Default symbols" })).toBeVisible();
  const planPath = new URL(page.url()).pathname;
  expect(await pageViolations(page), "charts and plan").toEqual([]);

  // Every console page, by the route folder that serves it: a page added later without a line
  // here fails the check below instead of going unvisited.
  const pages: Record<string, string> = {
    "_console._index": "/",
    "_console.symbols._index": "/symbols",
    "_console.symbols.$id": `/symbols/${symbol.id}`,
    "_console.symbols.defaults": "/symbols/defaults",
    "_console.broadcast": "/broadcast",
    "_console.providers": "/providers",
    "_console.audit": "/audit",
    "_console.users._index": "/users",
    "_console.users.$id.preview": `/users/${user.id}/preview`,
    "_console.quality": "/quality",
    "_console.performance": "/performance",
    "_console.performance_.indexes": "/performance/indexes",
    "_console.performance_.plans.$id": planPath,
    "_console.migrations": "/migrations",
    "_console.readiness": "/readiness",
    "_console.staff": "/staff",
    "_console.account": "/account",
    "_console.api-docs": "/api-docs",
  };
  const consolePages = readdirSync(new URL("../../app/routes", import.meta.url)).filter((name) =>
    name.startsWith("_console."),
  );
  expect(Object.keys(pages).sort(), "every console page is visited").toEqual(consolePages.sort());
  const paths = Object.values(pages);
  for (const path of paths) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    expect(response?.headers()["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-/);
    expect(response?.headers()["x-frame-options"], path).toBe("DENY");
    // Hydrated: client navigation works, so the nonce'd module scripts ran.
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
    expect(await pageViolations(page), path).toEqual([]);
  }
  // The page an invitation link opens.
  const invited = await inviteStaff(db.db, {
    actorId: admin.id,
    email: `invited-${Date.now()}@csp.symbol-desk.test`,
    displayName: "Invited Viewer",
    role: "viewer",
  });
  await page.goto(`/password/${invited.token}`);
  await expect(page.getByRole("heading", { name: "Welcome, Invited Viewer" })).toBeVisible();
  expect(await pageViolations(page), "/password/:token").toEqual([]);

  // The API docs render the AsyncAPI document of /ws/symbols.
  await page.goto("/api-docs");
  await expect(page.getByRole("table", { name: /^Fields of the .+ message$/ }).first()).toBeVisible();
  expect(await pageViolations(page), "/api-docs rendered").toEqual([]);

  // Drag and drop from the keyboard, with its live announcements, then cancelled (nothing saved).
  await page.goto("/symbols/defaults");
  const handle = page.getByRole("button", { name: /^Reorder .+, position 1 of \d+$/ });
  await expect(page.getByRole("button", { name: /^Move .* down$/ })).toHaveCount(0);
  await pickUpWithKeyboard(handle);
  await page.keyboard.press("ArrowDown");
  await expect(page.getByText(/is over position 2/)).toBeAttached();
  await page.keyboard.press("Escape");
  await expect(handle).not.toHaveAttribute("aria-pressed", "true");
  expect(await pageViolations(page), "drag and drop").toEqual([]);

  // A client-side navigation.
  await page.getByRole("link", { name: "Audit" }).first().click();
  await expect(page).toHaveURL(/\/audit/);
  expect(await pageViolations(page)).toEqual([]);
  expect(violations).toEqual([]);
});
