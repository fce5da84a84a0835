import { readFile } from "node:fs/promises";
import { pageViolations, watchViolations } from "../support/csp-violations.js";
import { expect, expectSignedInAs, screenshot, test } from "../support/fixtures.js";
import { firstRunServerOutput } from "../support/run-env.js";

// Runs against the server on a fresh embedded database with no staff at all.

/** The setup code as a person finds it: in the terminal output of the server they started. */
async function setupCodeFromServerOutput(): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(async () => {
      const output = await readFile(firstRunServerOutput(), "utf8").catch(() => "");
      code = /\[setup\]\s+([0-9A-Z]{5}(?:-[0-9A-Z]{5}){3})\s/.exec(output)?.[1];
      return code;
    })
    .toBeTruthy();
  return code!;
}

test("the person who started the server creates the first admin with the setup code it printed", async ({
  page,
  browser,
}, testInfo) => {
  const setupCode = await setupCodeFromServerOutput();
  const violations = await watchViolations(page);
  const response = await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Create the first admin" })).toBeVisible();
  expect(await response?.text(), "the code is never sent to a browser").not.toContain(setupCode);
  await screenshot(page, "setup");

  // Nothing filled in: every field says what it needs, beside it.
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByLabel("Setup code")).toHaveAccessibleDescription(
    /Enter the setup code the server printed in its terminal\./,
  );
  await expect(page.getByLabel("Your name")).toHaveAccessibleDescription("Enter your name.");
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription("Enter your email address.");
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");

  // A wrong code is refused beside its field, and nobody is created.
  await page.getByLabel("Setup code").fill("AAAAA-BBBBB-CCCCC-DDDDD");
  await page.getByLabel("Your name").fill("Ada Admin");
  await page.getByLabel("Email").fill("ada@example.com");
  await page.getByLabel("Password", { exact: true }).fill("first-admin-password");
  await page.getByLabel("Repeat password").fill("first-admin-password");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByLabel("Setup code")).toHaveAccessibleDescription(
    /That is not the setup code: copy it from the terminal/,
  );
  await expect(page).toHaveURL(/\/setup$/);

  await page.getByLabel("Setup code").fill(setupCode);
  await page.getByLabel("Password", { exact: true }).fill("first-admin-password");
  await page.getByLabel("Repeat password").fill("something else");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByLabel("Repeat password")).toHaveAccessibleDescription("The passwords do not match.");
  await screenshot(page, "setup-errors");
  expect(await pageViolations(page), "the setup page runs under its CSP").toEqual([]);

  await page.getByLabel("Setup code").fill(setupCode);
  // A weak password is refused with the estimator's reason (the one rule of db/rules/password.ts).
  await page.getByLabel("Password", { exact: true }).fill("password1234");
  await page.getByLabel("Repeat password").fill("password1234");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByLabel("Password", { exact: true })).toHaveAccessibleDescription(
    /too easy to guess\. This is similar to a commonly used password/,
  );

  await page.getByLabel("Password", { exact: true }).fill("first-admin-password");
  await page.getByLabel("Repeat password").fill("first-admin-password");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await expectSignedInAs(page, { displayName: "Ada Admin", role: "admin" });
  await expect(page.getByRole("region", { name: "Data-quality checks" }).getByText(/^Go: /)).toBeVisible();
  await screenshot(page, "home-first-run");

  // From now on a signed-out visitor gets the sign-in page, not setup.
  const visitor = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const visitorPage = await visitor.newPage();
  await visitorPage.goto("/setup");
  await expect(visitorPage).toHaveURL(/\/login$/);
  await expect(visitorPage.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await visitor.close();
  expect(violations).toEqual([]);
});
