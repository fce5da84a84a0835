import { expect, signInAs, test } from "../support/console-fixtures.js";
import { screenshot } from "../support/fixtures.js";

// /users: how many users there are, every one of them a page at a time, in natural order.

test("viewer pages through the matching users in natural order (2 before 10) and back", async ({
  page,
  createStaff,
  catalogue,
}) => {
  const viewer = await createStaff("viewer");
  // 30 users: tag-0 … tag-29, so the second page holds 5 and 2 sorts before 10.
  const made = [];
  for (let i = 0; i < 30; i++) made.push(await catalogue.user([]));
  const emails = made.map((u) => u.email);
  const q = catalogue.tag.toLowerCase();
  await signInAs(page, viewer, `/login?redirectTo=/users?q=${q}`);

  const list = page.getByRole("list", { name: "Users" }).getByRole("listitem");
  await expect(page.getByText(`Users matching “${q}”: 30; showing 1–25.`)).toBeVisible();
  await expect(list).toHaveCount(25);
  await expect(list.nth(2)).toContainText(emails[2]!);
  await expect(list.nth(10)).toContainText(emails[10]!);
  expect(await list.allTextContents()).toEqual(emails.slice(0, 25).map((e) => expect.stringContaining(e)));
  await expect(page.getByText("First page")).toBeVisible();
  await screenshot(page, "users-first-page");

  await page.getByRole("link", { name: "Next 5 →" }).click();
  await expect(page.getByText(`Users matching “${q}”: 30; showing 26–30.`)).toBeVisible();
  expect(await list.allTextContents()).toEqual(emails.slice(25).map((e) => expect.stringContaining(e)));
  await expect(page.getByText("Last page")).toBeVisible();

  await page.getByRole("link", { name: "← Previous 25" }).click();
  await expect(page.getByText(`Users matching “${q}”: 30; showing 1–25.`)).toBeVisible();
  await expect(list.first()).toContainText(emails[0]!);
});

test("the users list counts every user, and a tampered page link is a clear 400", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const viewer = await createStaff("viewer");
  await catalogue.user([]);
  await catalogue.user([]);
  await signInAs(page, viewer, "/login?redirectTo=/users");
  // Other specs add and remove users meanwhile: the page is read again until it and the database agree.
  await expect(async () => {
    const { count } = await db.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    await page.goto("/users");
    const total = Number(count).toLocaleString("en-US");
    await expect(page.getByText(new RegExp(`^${total} users?; showing 1–`))).toBeVisible({ timeout: 1_000 });
  }).toPass();

  for (const after of ["not-a-cursor", Buffer.from('{"email":"x","id":"1 or 1=1"}').toString("base64url")]) {
    const response = await page.goto(`/users?after=${after}`);
    expect(response?.status()).toBe(400);
    await expect(page.getByText("This page link is not valid.")).toBeVisible();
  }
});
