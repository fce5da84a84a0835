import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Names shared by the config, the server preparation and the test workers of one run. The
// config sets them once in the runner process; web servers and workers inherit its environment.

export const E2E_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const ROOT_DIR = path.dirname(E2E_DIR);
export const SCREENS_DIR = path.join(E2E_DIR, ".screens");

// E2E_PORT_BASE moves both servers, so two runs on one machine do not collide.
const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3110);
export const PORTS = { postgres: PORT_BASE + 1, firstRun: PORT_BASE + 2 } as const;
export const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Fills in this run's database name, PGlite directory and session secret (once per run). */
export function ensureRunEnv(env: NodeJS.ProcessEnv = process.env): void {
  const id = randomBytes(4).toString("hex");
  env.E2E_PG_DATABASE ??= `sd_e2e_${id}`;
  env.E2E_PGLITE_DIR ??= path.join(os.tmpdir(), `symbol-desk-e2e-${id}`, "pglite");
  env.E2E_SESSION_SECRET ??= randomBytes(32).toString("hex");
}

/** Where the first-run server's terminal output goes: the first-run spec reads its setup code there. */
export function firstRunServerOutput(env: NodeJS.ProcessEnv = process.env): string {
  const dataDir = env.E2E_PGLITE_DIR;
  if (!dataDir) throw new Error("E2E_PGLITE_DIR is not set: run the tests through e2e/playwright.config.ts");
  return path.join(path.dirname(dataDir), "server-output.txt");
}

export function serverDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.E2E_PG_DATABASE;
  if (!name) throw new Error("E2E_PG_DATABASE is not set: run the tests through e2e/playwright.config.ts");
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Never staff-less: with no staff, sign-in sends everyone to first-run setup. */
export const STANDING_ADMIN = { email: "standing-admin@e2e.symbol-desk.test", displayName: "Standing Admin" };
