import { randomBytes } from "node:crypto";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { createCookie } from "@remix-run/node";
import { type DbConnection, openDatabase } from "../../db/client.js";
import { createStaffSession, createStaffUser, deleteStaffUser, type StaffRole } from "../../db/repositories/staff.js";
import { holdAdvisoryLock } from "../../db/test/session-helpers.js";
import { SESSION_COOKIE, SESSION_TTL_MS } from "../../app/utils/session.server.js";
import { SCREENS_DIR, serverDatabaseUrl } from "./run-env.js";

// Each test creates the staff accounts it needs (a unique email per test) straight through
// db/repositories/staff.ts, and they are deleted when the test ends (sessions go with them).

export interface TestStaff {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  password: string;
  /** A signed-in session for this account, made as the sign-in action makes one: the cookie's value. */
  sessionCookie: () => Promise<string>;
}

interface Fixtures {
  createStaff: (role: StaffRole) => Promise<TestStaff>;
  /**
   * Set with `test.use` where a test changes the default symbols or asserts their exact count: such
   * tests take turns across workers (`defaultsTurn`), so none sees another's tenth default.
   */
  takesDefaultsTurn: boolean;
  defaultsTurn: void;
}

// One advisory lock on the e2e database, held for the test and released after every other
// fixture's teardown (an automatic fixture is set up first and torn down last), so what a test put
// back is back before the next one starts. The key is this project's own: no code takes it.
const DEFAULTS_LOCK_ID = "5379646469000001";

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
    const staff = { ...input, id: user.id, sessionCookie: () => sessionCookieFor(db, user.id) };
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
  takesDefaultsTurn: [false, { option: true }],
  defaultsTurn: [
    async ({ takesDefaultsTurn }, use) => {
      if (!takesDefaultsTurn) return use();
      const release = await holdAdvisoryLock(serverDatabaseUrl(), DEFAULTS_LOCK_ID);
      try {
        await use();
      } finally {
        await release();
      }
    },
    { auto: true },
  ],
});

export { expect };

// The cookie the server signs (app/utils/session.server.ts), with the secret the config gives it.
const sessionCookie = createCookie(SESSION_COOKIE, { secrets: [process.env.E2E_SESSION_SECRET ?? ""] });

async function sessionCookieFor(db: DbConnection, staffId: string): Promise<string> {
  const session = await createStaffSession(db.db, staffId, SESSION_TTL_MS);
  const header = await sessionCookie.serialize({ sid: session.id });
  return header.slice(header.indexOf("=") + 1, header.indexOf(";"));
}

/**
 * Signs in without the form (each form sign-in pays a bcrypt hash; only the sign-in specs need
 * it): a session row and its cookie, then `path` (a /login?redirectTo= address goes on to it),
 * once the console shows the account.
 */
export async function signInAs(page: Page, staff: TestStaff, path = "/"): Promise<void> {
  const baseURL = test.info().project.use.baseURL!;
  await page
    .context()
    .addCookies([
      { name: SESSION_COOKIE, value: await staff.sessionCookie(), url: baseURL, httpOnly: true, sameSite: "Lax" },
    ]);
  await page.goto(path);
  await expect(page.getByRole("banner").getByText(staff.displayName, { exact: true })).toBeVisible();
}

/** Signs in through the sign-in form, as a person would (the sign-in specs). */
export async function signIn(page: Page, staff: Pick<TestStaff, "email" | "password">, path = "/login"): Promise<void> {
  await page.goto(path);
  await page.getByLabel("Email").fill(staff.email);
  await page.getByLabel("Password").fill(staff.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Retakes a page's stored snapshot ("Refresh now") and waits until the page says it was retaken. */
export async function refreshSnapshot(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page.getByText(/^Refreshed at \d\d:\d\d:\d\d UTC\.$/)).toBeVisible({ timeout: 30_000 });
}

/** The sign-in form, then the console: for specs whose point is a password or a session's browser. */
export async function signInWithForm(
  page: Page,
  staff: Pick<TestStaff, "email" | "password" | "displayName">,
  path = "/login",
): Promise<void> {
  await signIn(page, staff, path);
  await expect(page.getByRole("banner").getByText(staff.displayName, { exact: true })).toBeVisible();
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
