import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { test as base, expect } from "@playwright/test";
import pg from "pg";
import { type DbConnection, openDatabase } from "../../db/client.js";
import { migrateUp } from "../../db/migrator.js";
import { createStaffUser, deleteStaffUser, type StaffRole } from "../../db/repositories/staff.js";
import { loadDefaultData } from "../../db/seed/default-data.js";
import type { TestStaff } from "./fixtures.js";
import { ADMIN_URL, STANDING_ADMIN } from "./run-env.js";

// The migrations e2e runs against a server of its own, on a PostgreSQL database of its own: its
// tests roll 20250108 back, which every other spec on the shared server would see. This file is
// three things for that server, so they cannot drift apart:
//   - `npx tsx e2e/support/quality-fixtures.ts prepare`: makes its database (the webServer command);
//   - `migrationsTest`: fixtures whose staff and data live in that database;
//   - the default export: a global teardown that drops it.

/** Same base as the config's ports; the third server sits after the two of run-env.ts. */
export const MIGRATIONS_PORT = Number(process.env.E2E_PORT_BASE ?? 3110) + 3;

export function migrationsDatabaseName(env: NodeJS.ProcessEnv = process.env): string {
  const shared = env.E2E_PG_DATABASE;
  if (!shared || !/^sd_e2e_[a-z0-9]+$/.test(shared)) throw new Error("E2E_PG_DATABASE is not set: run through e2e/playwright.config.ts");
  return `${shared}_mig`;
}

export function migrationsDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${migrationsDatabaseName(env)}`;
  return url.toString();
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function prepare(): Promise<void> {
  const name = migrationsDatabaseName();
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const conn = await openDatabase({ databaseUrl: migrationsDatabaseUrl(), poolSize: 2 });
  try {
    await migrateUp(conn.db, { actor: "e2e" });
    await loadDefaultData(conn.db);
    await createStaffUser(conn.db, { ...STANDING_ADMIN, role: "admin", password: randomBytes(18).toString("base64url") });
  } finally {
    await conn.close();
  }
  console.log(`[e2e] migrations database ${name} ready`);
}

export default async function dropMigrationsDatabase(): Promise<void> {
  if (process.env.E2E_PG_DATABASE) await admin(`drop database if exists ${migrationsDatabaseName()} with (force)`);
}

interface Fixtures {
  createStaff: (role: StaffRole) => Promise<TestStaff>;
}

export const migrationsTest = base.extend<Fixtures, { migrationsDb: DbConnection }>({
  migrationsDb: [
    async ({}, use) => {
      const conn = await openDatabase({ databaseUrl: migrationsDatabaseUrl(), poolSize: 2 });
      await use(conn);
      await conn.close();
    },
    { scope: "worker" },
  ],
  createStaff: async ({ migrationsDb }, use, testInfo) => {
    const created: TestStaff[] = [];
    await use(async (role) => {
      const tag = randomBytes(4).toString("hex");
      const input = {
        email: `${role}-mig-w${testInfo.workerIndex}-${tag}@e2e.symbol-desk.test`,
        displayName: `${role[0]!.toUpperCase()}${role.slice(1)} ${tag.slice(0, 4).toUpperCase()}`,
        role,
        password: `pw-${randomBytes(12).toString("base64url")}`,
      };
      const user = await createStaffUser(migrationsDb.db, input);
      created.push({ ...input, id: user.id });
      return { ...input, id: user.id };
    });
    for (const staff of created) await deleteStaffUser(migrationsDb.db, staff.id);
  },
});

export { expect };

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "prepare") await prepare();
