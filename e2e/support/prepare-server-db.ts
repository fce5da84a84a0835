import { openDatabase } from "../../db/client.js";
import { migrateUp } from "../../db/migrator.js";
import { loadDefaultData } from "../../db/seed/default-data.js";
import { resetServerDatabase } from "./server-database.js";

// Prepares the database a web server of the e2e run starts on, before it starts:
//   postgres: a fresh database on the PostgreSQL server, migrated, default data, one admin
//   pglite:   a fresh embedded data directory, migrated, default data, no staff (first run)

async function preparePostgres(): Promise<void> {
  await resetServerDatabase(process.env.E2E_PG_DATABASE!);
}

async function preparePglite(): Promise<void> {
  const dataDir = process.env.SYMBOL_DESK_DATA_DIR;
  if (!dataDir) throw new Error("SYMBOL_DESK_DATA_DIR is not set");
  const conn = await openDatabase({ dataDir });
  try {
    await migrateUp(conn.db, { actor: "e2e" });
    await loadDefaultData(conn.db);
  } finally {
    await conn.close();
  }
}

const engine = process.argv[2];
if (engine === "postgres") await preparePostgres();
else if (engine === "pglite") await preparePglite();
else throw new Error("usage: prepare-server-db.ts postgres|pglite");
console.log(`[e2e] ${engine} database ready`);
