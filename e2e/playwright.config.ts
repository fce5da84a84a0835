import { defineConfig } from "@playwright/test";
import { E2E_DIR, PORTS, ROOT_DIR, ensureRunEnv, serverDatabaseUrl } from "./support/run-env.js";
import { MIGRATIONS_PORT, migrationsDatabaseUrl } from "./support/migrations-fixtures.js";

// Drives the built server (`npm run build` first) in Debian's Chromium, against three servers:
// one on a fresh PostgreSQL database (staff made per test by fixtures), one on a fresh embedded
// PGlite directory with no staff yet (the first-run setup), and one for the migration specs. Each
// server's database lives exactly as long as the server (support/serve-on-own-database.ts).

ensureRunEnv();

const serveOnOwnDatabase = (kind: string) => `node --import tsx e2e/support/serve-on-own-database.ts ${kind}`;
const common = {
  cwd: ROOT_DIR,
  reuseExistingServer: false,
  timeout: 120_000,
  stdout: "ignore",
  stderr: "pipe",
  // Past the server's own 10 s drain, so its database is dropped after it exits rather than left behind.
  gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
} as const;

// Requests a spec sends itself (forged posts of a signed-in page) come from the console's own
// origin, as a page's would: they test the role and input checks, not CSRF, which
// app/server/console-server-checks.test.ts covers with foreign and missing origins.
function sameOrigin(port: number) {
  const baseURL = `http://localhost:${port}`;
  return { baseURL, extraHTTPHeaders: { Origin: baseURL } };
}

export default defineConfig({
  testDir: "./specs",
  outputDir: `${E2E_DIR}/.results`,
  fullyParallel: true,
  forbidOnly: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  // Generous: every sign-in pays for a cost-11 bcrypt hash, and CI machines are often busy.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { outputFolder: `${E2E_DIR}/.report`, open: "never" }]],
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "postgres", testIgnore: /first-run|migrations-/, use: sameOrigin(PORTS.postgres) },
    { name: "first-run", testMatch: /first-run/, use: sameOrigin(PORTS.firstRun) },
    // Migration specs roll 20250108 back: on a server and database of their own, so no other spec sees it.
    { name: "migrations", testMatch: /migrations-/, use: sameOrigin(MIGRATIONS_PORT) },
  ],
  webServer: [
    {
      ...common,
      command: serveOnOwnDatabase("postgres"),
      url: `http://localhost:${PORTS.postgres}/login`,
      env: {
        NODE_ENV: "production",
        PORT: String(PORTS.postgres),
        DATABASE_URL: serverDatabaseUrl(),
        SESSION_SECRET: process.env.E2E_SESSION_SECRET!,
      },
    },
    {
      ...common,
      // Its terminal output goes to a file: the first-run spec reads the setup code there.
      command: serveOnOwnDatabase("pglite"),
      url: `http://localhost:${PORTS.firstRun}/login`,
      env: {
        NODE_ENV: "production",
        PORT: String(PORTS.firstRun),
        DATABASE_URL: "",
        SYMBOL_DESK_DATA_DIR: process.env.E2E_PGLITE_DIR!,
        SESSION_SECRET: process.env.E2E_SESSION_SECRET!,
      },
    },
    {
      ...common,
      command: serveOnOwnDatabase("migrations"),
      url: `http://localhost:${MIGRATIONS_PORT}/login`,
      env: {
        NODE_ENV: "production",
        PORT: String(MIGRATIONS_PORT),
        DATABASE_URL: migrationsDatabaseUrl(),
        // Its specs compare broadcast times before and after a rollback: nothing may stamp them.
        BROADCASTER_IN_PROCESS: "false",
        SESSION_SECRET: process.env.E2E_SESSION_SECRET!,
      },
    },
  ],
});
