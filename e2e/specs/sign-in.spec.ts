import { expect, expectSignedInAs, refreshSnapshot, screenshot, signIn, test } from "../support/fixtures.js";

// The home figures count the defaults: read in the defaults' turn, so no other spec's tenth is there.
test.describe(() => {
  test.use({ takesDefaultsTurn: true });

  test("viewer signs in and sees the home figures", async ({ page, createStaff }) => {
    const viewer = await createStaff("viewer");
    const missing: string[] = [];
    page.on("response", (response) => {
      if (response.status() === 404) missing.push(response.url());
    });

    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await screenshot(page, "login");
    await signIn(page, viewer);

    await expect(page).toHaveURL(/\/$/);
    await expectSignedInAs(page, viewer);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    // The figures are a stored snapshot, which another spec's tenth default may be in: retaken now.
    await refreshSnapshot(page);
    const figures = page.getByRole("region", { name: "Data quality figures" });
    await expect(figures.getByRole("listitem", { name: "Default symbols" })).toContainText("9");
    await expect(figures.getByRole("listitem", { name: "Inactive defaults" })).toContainText("0");
    await expect(figures.getByRole("listitem")).toHaveCount(10);
    const checks = page.getByRole("region", { name: "Data-quality checks" });
    await expect(checks.getByText("Go: no error-severity check fails.")).toBeVisible();
    await expect(checks.getByRole("listitem", { name: /^Fail: 0$/ })).toBeVisible();
    await screenshot(page, "home");
    expect(missing, "no request of the page should 404 (favicon included)").toEqual([]);
  });
});

for (const role of ["operator", "admin"] as const) {
  test(`${role} signs in and sees their name and role`, async ({ page, createStaff }) => {
    const staff = await createStaff(role);
    await signIn(page, { ...staff, email: staff.email.toUpperCase() });
    await expect(page).toHaveURL(/\/$/);
    await expectSignedInAs(page, staff);
  });
}

test("wrong passwords show an error, then sign-in waits a growing delay, the right password too", async ({
  page,
  createStaff,
}) => {
  const viewer = await createStaff("viewer");
  await page.goto("/login");
  const attempt = async (password: string) => {
    await page.getByLabel("Email").fill(viewer.email);
    await page.getByLabel("Password").fill(password);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/login")),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    return response;
  };
  for (let i = 1; i <= 5; i++) {
    expect((await attempt(`wrong-${i}`)).status()).toBe(400);
    await expect(page.getByRole("alert")).toHaveText("The email or password is incorrect.");
  }
  // Past the free tries each failure makes the account wait twice as long (1 s, 2 s, 4 s …), and
  // a try made while it waits is refused without being counted. Keep trying until three more
  // failures have counted, so the last wait (4 s) is far longer than one try takes on a busy machine.
  let counted = 5;
  let refused = 0;
  while (counted < 8) {
    const status = (await attempt(`wrong-${counted + 1}`)).status();
    expect([400, 429]).toContain(status);
    if (status === 400) counted++;
    else refused++;
  }
  expect(refused, "a try made during a wait is refused").toBeGreaterThan(0);
  // Even the right password is refused while the wait lasts: the account is paused, not locked.
  expect((await attempt(viewer.password)).status()).toBe(429);
  await expect(page.getByRole("alert")).toContainText("Too many failed sign-in attempts");
  await expect(page).toHaveURL(/\/login/);
  await screenshot(page, "login-rate-limited");
});

test("a signed-out visitor is sent to sign-in and comes back to the page they asked for", async ({
  page,
  createStaff,
}) => {
  const viewer = await createStaff("viewer");
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/?view=figures");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2F%3Fview%3Dfigures$/);
  await page.getByLabel("Email").fill(viewer.email);
  await page.getByLabel("Password").fill(viewer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/\?view=figures$/);
  await expectSignedInAs(page, viewer);
});

test("sign-in never sends anyone to another site", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signIn(page, viewer, "/login?redirectTo=//evil.example/steal");
  await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/$/);
  await expectSignedInAs(page, viewer);
});

test("missing email and password are reported beside the fields", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription("Enter your email address.");
  await expect(page.getByLabel("Password")).toHaveAccessibleDescription("Enter your password.");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription(/valid email address/);
});
