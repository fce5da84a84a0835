import { randomBytes } from "node:crypto";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { type DbConnection, openDatabase } from "../../db/client.js";
import { createStaffUser, deleteStaffUser, type StaffRole } from "../../db/repositories/staff.js";
import { SCREENS_DIR, serverDatabaseUrl } from "./run-env.js";

// Each test creates the staff accounts it needs (a unique email per test) straight through
// db/repositories/staff.ts, and they are deleted when the test ends (sessions go with them).

export interface TestStaff {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  password: string;
}

interface Fixtures {
  createStaff: (role: StaffRole) => Promise<TestStaff>;
}

/**
 * Hands a test a function that creates staff accounts (unique email per call, tagged with where
 * they were made) in `db`, and deletes them, sessions and all, when the test ends.
 */
export async function withStaffFactory(
  db: DbConnection,
  where: string,
  use: (create: (role: StaffRole) => Promise<TestStaff>) => Promise<void>,
): Promise<void> {
  const created: TestStaff[] = [];
  await use(async (role) => {
    const tag = randomBytes(4).toString("hex");
    const input = {
      email: `${role}-${where}-${tag}@e2e.symbol-desk.test`,
      displayName: `${role[0]!.toUpperCase()}${role.slice(1)} ${tag.slice(0, 4).toUpperCase()}`,
      role,
      password: `pw-${randomBytes(12).toString("base64url")}`,
    };
    const user = await createStaffUser(db.db, input);
    const staff = { ...input, id: user.id };
    created.push(staff);
    return staff;
  });
  for (const staff of created) await deleteStaffUser(db.db, staff.id);
}

export const test = base.extend<Fixtures, { db: DbConnection }>({
  db: [
    // Playwright reads the fixture's dependencies from this pattern: this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const conn = await openDatabase({ databaseUrl: serverDatabaseUrl(), poolSize: 2 });
      await use(conn);
      await conn.close();
    },
    { scope: "worker" },
  ],
  createStaff: async ({ db }, use, testInfo) => {
    await withStaffFactory(db, `w${testInfo.workerIndex}`, use);
  },
});

export { expect };

/** Signs in through the sign-in form, as a person would. */
export async function signIn(page: Page, staff: Pick<TestStaff, "email" | "password">, path = "/login"): Promise<void> {
  await page.goto(path);
  await page.getByLabel("Email").fill(staff.email);
  await page.getByLabel("Password").fill(staff.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function expectSignedInAs(page: Page, staff: Pick<TestStaff, "displayName" | "role">): Promise<void> {
  const banner = page.getByRole("banner");
  await expect(banner.getByText(staff.displayName, { exact: true })).toBeVisible();
  await expect(banner.getByText(`Role: ${staff.role}`)).toBeVisible();
  await expect(banner.getByRole("button", { name: "Sign out" })).toBeVisible();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), fullPage: true });
}
