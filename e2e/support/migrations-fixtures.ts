import { test as base, expect } from "@playwright/test";
import { type DbConnection, openDatabase } from "../../db/client.js";
import type { StaffRole } from "../../db/repositories/staff.js";
import { type TestStaff, withStaffFactory } from "./fixtures.js";
import { databaseUrl } from "./server-database.js";

// The migrations e2e runs against a server of its own, on a PostgreSQL database of its own: its
// tests roll 20250108 back, which every other spec on the shared server would see. Its name and
// port are here, with `migrationsTest`, fixtures whose staff and data live in that database;
// serve-on-own-database.ts makes it before that server starts and drops it after the server exits.

/** Same base as the config's ports; the third server sits after the two of run-env.ts. */
export const MIGRATIONS_PORT = Number(process.env.E2E_PORT_BASE ?? 3110) + 3;

export function migrationsDatabaseName(env: NodeJS.ProcessEnv = process.env): string {
  const shared = env.E2E_PG_DATABASE;
  if (!shared || !/^sd_e2e_[a-z0-9]+$/.test(shared))
    throw new Error("E2E_PG_DATABASE is not set: run through e2e/playwright.config.ts");
  return `${shared}_mig`;
}

export const migrationsDatabaseUrl = (env: NodeJS.ProcessEnv = process.env): string =>
  databaseUrl(migrationsDatabaseName(env));

interface Fixtures {
  createStaff: (role: StaffRole) => Promise<TestStaff>;
}

export const migrationsTest = base.extend<Fixtures, { migrationsDb: DbConnection }>({
  migrationsDb: [
    // Playwright reads the fixture's dependencies from this pattern: this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const conn = await openDatabase({ databaseUrl: migrationsDatabaseUrl(), poolSize: 2 });
      await use(conn);
      await conn.close();
    },
    { scope: "worker" },
  ],
  createStaff: async ({ migrationsDb }, use, testInfo) => {
    await withStaffFactory(migrationsDb, `mig-w${testInfo.workerIndex}`, use);
  },
});

export { expect };
