import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase } from "../../db/client.js";
import { migrateUp } from "../../db/migrator.js";
import { createStaffUser } from "../../db/repositories/staff.js";
import { loadDefaultData } from "../../db/seed/default-data.js";
import { ADMIN_URL, STANDING_ADMIN } from "./run-env.js";

// The PostgreSQL databases an e2e run makes for its servers: made fresh before a server starts,
// dropped by the teardowns. Names come from run-env.ts and are checked before they reach SQL.

function checkedName(name: string): string {
  if (!/^sd_e2e_[a-z0-9_]+$/.test(name)) throw new Error(`Unexpected e2e database name ${name}`);
  return name;
}

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${checkedName(name)}`;
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

export const dropServerDatabase = (name: string) => admin(`drop database if exists ${checkedName(name)} with (force)`);

/** A fresh database: migrated, the default data, and one admin so sign-in never turns into setup. */
export async function resetServerDatabase(name: string): Promise<void> {
  await dropServerDatabase(name);
  await admin(`create database ${checkedName(name)}`);
  const conn = await openDatabase({ databaseUrl: databaseUrl(name), poolSize: 2 });
  try {
    await migrateUp(conn.db, { actor: "e2e" });
    await loadDefaultData(conn.db);
    await createStaffUser(conn.db, {
      ...STANDING_ADMIN,
      role: "admin",
      password: randomBytes(18).toString("base64url"),
    });
  } finally {
    await conn.close();
  }
}
