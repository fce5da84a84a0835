import type { Page } from "@playwright/test";
import { expect, test } from "../support/console-fixtures.js";
import { signInAs } from "../support/fixtures.js";

// Every page of the console under its Content-Security-Policy: a violation (an inline script
// without the nonce, an eval, a style or image from elsewhere) is recorded by the page itself
// and reported here, together with console errors that mention the policy.

async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const seen = ((window as unknown as { __violations?: string[] }).__violations ??= []);
      seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

async function pageViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
}

test("admin opens every page and the browser reports no CSP violation", async ({ page, createStaff, catalogue }) => {
  const symbol = await catalogue.symbol();
  const user = await catalogue.user([symbol]);
  const admin = await createStaff("admin");
  const violations = await watchViolations(page);

  const signInResponse = await page.goto("/login");
  expect(signInResponse?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
  await signInAs(page, admin);
  await expect(page).toHaveURL(/\/$/);

  const paths = [
    "/",
    "/symbols",
    `/symbols/${symbol.id}`,
    "/symbols/defaults",
    "/broadcast",
    "/providers",
    "/audit",
    "/users",
    `/users/${user.id}/preview`,
    "/quality",
    "/performance",
    "/performance/indexes",
    "/migrations",
    "/readiness",
    "/api-docs",
  ];
  for (const path of paths) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    expect(response?.headers()["x-frame-options"], path).toBe("DENY");
    // Hydrated: client navigation works, so the nonce'd module scripts ran.
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
    expect(await pageViolations(page), path).toEqual([]);
  }
  // A client-side navigation and a live region (the defaults' drag-and-drop announcements).
  await page.goto("/symbols/defaults");
  await page.getByRole("link", { name: "Audit" }).first().click();
  await expect(page).toHaveURL(/\/audit/);
  expect(await pageViolations(page)).toEqual([]);
  expect(violations).toEqual([]);
});
