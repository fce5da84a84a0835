import fs from "node:fs/promises";
import path from "node:path";
import { dropServerDatabase } from "./server-database.js";

// Drops what this run made: the PostgreSQL database and the embedded data directory.
export default async function globalTeardown(): Promise<void> {
  const name = process.env.E2E_PG_DATABASE;
  if (name) await dropServerDatabase(name);
  const dir = process.env.E2E_PGLITE_DIR;
  if (dir && path.basename(path.dirname(dir)).startsWith("symbol-desk-e2e-")) {
    await fs.rm(path.dirname(dir), { recursive: true, force: true });
  }
}
