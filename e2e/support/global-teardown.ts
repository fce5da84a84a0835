import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { ADMIN_URL } from "./run-env.js";

// Drops what this run made: the PostgreSQL database and the embedded data directory.
export default async function globalTeardown(): Promise<void> {
  const name = process.env.E2E_PG_DATABASE;
  if (name && /^sd_e2e_[a-z0-9]+$/.test(name)) {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${name} with (force)`);
    } finally {
      await admin.end();
    }
  }
  const dir = process.env.E2E_PGLITE_DIR;
  if (dir && path.basename(path.dirname(dir)).startsWith("symbol-desk-e2e-")) {
    await fs.rm(path.dirname(dir), { recursive: true, force: true });
  }
}
