import { expect, expectHydrated, signInAs, test } from "../support/console-fixtures.js";
import { screenshot } from "../support/fixtures.js";

test("operator issues an API token on a user's preview, the app uses it, and revoking it (confirmed) locks the app out", async ({
  page,
  createStaff,
  catalogue,
}) => {
  const operator = await createStaff("operator");
  const symbol = await catalogue.symbol();
  const user = await catalogue.user([symbol]);
  await signInAs(page, operator, `/login?redirectTo=/users/${user.id}/preview`);

  const panel = page.getByRole("region", { name: "API tokens" });
  await expectHydrated(panel.getByRole("button", { name: "Issue token" }));
  await panel.getByLabel("Label for a new token").fill("iOS app");
  await panel.getByRole("button", { name: "Issue token" }).click();
  const secret = (await panel.getByLabel("Secret of the new token").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^sdk_/);
  await screenshot(page, "user-preview-token");

  const api = `/api/users/${user.id}/symbols`;
  const withToken = await page.request.get(api, { headers: { authorization: `Bearer ${secret}`, cookie: "" } });
  expect(withToken.status()).toBe(200);
  expect(JSON.stringify(await withToken.json())).toContain(symbol.ticker);

  // The console's own dialog asks, never the browser's.
  const browserDialogs: string[] = [];
  page.on("dialog", (dialog) => {
    browserDialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const confirm = page.getByRole("dialog", { name: 'Revoke "iOS app"?' });
  await panel.getByRole("button", { name: "Revoke iOS app" }).click();
  await expect(confirm).toContainText("lose access at once");
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(panel.getByRole("cell", { name: "Active" })).toBeVisible();
  await panel.getByRole("button", { name: "Revoke iOS app" }).click();
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await expect(panel.getByRole("button", { name: "Revoke iOS app" })).toHaveCount(0);
  // Token look-ups are kept in memory until the revocation is announced: refused within a second.
  await expect
    .poll(
      async () =>
        (await page.request.get(api, { headers: { authorization: `Bearer ${secret}`, cookie: "" } })).status(),
      {
        timeout: 1_000,
      },
    )
    .toBe(401);
  expect(browserDialogs).toEqual([]);
});

test("viewer sees a user's tokens but cannot issue one", async ({ page, createStaff, catalogue }) => {
  const viewer = await createStaff("viewer");
  const user = await catalogue.user([await catalogue.symbol()]);
  await signInAs(page, viewer, `/login?redirectTo=/users/${user.id}/preview`);
  const panel = page.getByRole("region", { name: "API tokens" });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole("button", { name: "Issue token" })).toHaveCount(0);
  const forged = await page.request.post(`/users/${user.id}/tokens`, { form: { intent: "issue", label: "forged" } });
  expect(forged.status()).toBe(403);
});

test("operator issues a token that expires in 30 days, and the list shows when", async ({
  page,
  createStaff,
  catalogue,
}) => {
  const operator = await createStaff("operator");
  const user = await catalogue.user([await catalogue.symbol()]);
  await signInAs(page, operator, `/login?redirectTo=/users/${user.id}/preview`);

  const panel = page.getByRole("region", { name: "API tokens" });
  await expectHydrated(panel.getByRole("button", { name: "Issue token" }));
  await panel.getByLabel("Label for a new token").fill("Nightly job");
  await panel.getByLabel("Expires").selectOption({ label: "In 30 days" });
  await panel.getByRole("button", { name: "Issue token" }).click();
  await expect(panel.getByLabel("Secret of the new token")).toBeVisible();

  const expected = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const row = panel.getByRole("row", { name: /Nightly job/ });
  await expect(row).toContainText(expected);
  await expect(row).toContainText("Active");
  await expect(panel.getByRole("columnheader", { name: "Expires" })).toBeVisible();
});
