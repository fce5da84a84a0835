import { type ChildProcess, spawn } from "node:child_process";
import { fstatSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { openDatabase } from "../../db/client.js";
import { migrateUp } from "../../db/migrator.js";
import { loadDefaultData } from "../../db/seed/default-data.js";
import { migrationsDatabaseName } from "./migrations-fixtures.js";
import { ROOT_DIR, firstRunServerOutput } from "./run-env.js";
import { serveArgs } from "./serve-command.js";
import { dropServerDatabase, resetServerDatabase } from "./server-database.js";

// A web server of the e2e run (the config's webServer command), on a database that lives exactly
// as long as the server: made before it starts, dropped after it has exited.
//   postgres:   a fresh database on the PostgreSQL server, migrated, default data, one admin
//   pglite:     a fresh embedded data directory, migrated, default data, no staff (first run); the
//               server's terminal output goes to a file beside it, where the first-run spec reads
//               the setup code as a person reads it off the terminal of `npm start`
//   migrations: a database of its own for the specs that roll 20250108 back
// Playwright runs the global teardowns before it stops the web servers, so a teardown that dropped
// the database did so under a running server. On stop, Playwright signals this process's whole
// group: the server drains, and this process waits for it to exit before it drops the database.

interface OwnDatabase {
  prepare(): Promise<void>;
  drop(): Promise<void>;
  /** Where the server's standard output goes: this process's own unless given. */
  serverOutput?: string;
}

function serverDatabase(name: string): OwnDatabase {
  return { prepare: () => resetServerDatabase(name), drop: () => dropServerDatabase(name) };
}

function embeddedDatabase(dataDir: string): OwnDatabase {
  // The data directory sits in a folder of this run's own (run-env.ts), beside the server's output.
  const runDir = path.dirname(dataDir);
  if (!path.basename(runDir).startsWith("symbol-desk-e2e-"))
    throw new Error(`Unexpected e2e data directory ${dataDir}`);
  return {
    async prepare() {
      const conn = await openDatabase({ dataDir });
      try {
        await migrateUp(conn.db, { actor: "e2e" });
        await loadDefaultData(conn.db);
      } finally {
        await conn.close();
      }
    },
    drop: () => fs.rm(runDir, { recursive: true, force: true }),
    serverOutput: firstRunServerOutput(),
  };
}

function ownDatabase(kind: string | undefined): OwnDatabase {
  if (kind === "postgres") return serverDatabase(process.env.E2E_PG_DATABASE!);
  if (kind === "migrations") return serverDatabase(migrationsDatabaseName());
  const dataDir = process.env.SYMBOL_DESK_DATA_DIR;
  if (kind === "pglite" && dataDir) return embeddedDatabase(dataDir);
  throw new Error(
    "usage: SYMBOL_DESK_DATA_DIR=… serve-on-own-database.ts pglite, or serve-on-own-database.ts postgres|migrations",
  );
}

const database = ownDatabase(process.argv[2]);
let server: ChildProcess | null = null;
let stopping = false;
const stop = () => {
  stopping = true;
  server?.kill("SIGTERM");
};
// A signal sent to this process alone reaches the server too; a second one changes nothing there.
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, stop);
// Playwright holds the other end of this process's stdin: it ends when the runner itself is killed
// without stopping its web servers, and the server would otherwise be left running on its database.
const stdin = fstatSync(0);
if (stdin.isSocket() || stdin.isFIFO()) process.stdin.on("end", stop).resume();

let exitCode = 1;
try {
  await database.prepare();
  if (!stopping) {
    const output = database.serverOutput ? await fs.open(database.serverOutput, "w") : null;
    const started = spawn(process.execPath, serveArgs(), {
      cwd: ROOT_DIR,
      stdio: ["ignore", output?.fd ?? "inherit", "inherit"],
    });
    server = started;
    exitCode = await new Promise<number>((resolve) => started.once("exit", (code) => resolve(code ?? 1)));
    await output?.close();
  }
} finally {
  await database.drop();
}
process.exit(exitCode);
