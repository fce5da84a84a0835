import os from "node:os";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { openDatabase, type DbConnection } from "./client.js";
import {
  CONSOLE_ROLLBACK_CONSEQUENCES,
  isConsoleMigration,
  migrateDown,
  migrateUp,
  migrationStatus,
  repairInterrupted,
  type StepResult,
} from "./migrator.js";
import { catalogueIsEmpty, loadDefaultData } from "./seed/default-data.js";
import { loadDemoData } from "./seed/demo-data.js";
import { lintMigrations } from "./lint-migrations.js";
import { migrateGate, rollbackGate } from "./gate/cli-gate.js";
import { config } from "./config.js";
import { hostedConnection, runOnServer, serverTakesCommands } from "./cli-remote.js";
import { DataDirectoryLockedError } from "./pglite-lock.js";

// Symbol Desk's command line: `npm run db -- <command> [options]`.

const HELP = `Usage: npm run db -- <command> [options]

  prepare                     migrate to the latest version, load the default data, and on a
                              fresh install a few hundred demo symbols (npm start runs this)
  migrate [--to NAME] [--yes] apply pending migrations (all, or up to NAME); prints the gate of each
                              step first (lint, drift, last rehearsal, locks) and asks for --yes
                              when something is off
  rollback [--steps N] [--force] [--yes]
                              roll back the latest N migrations (default 1); prints the gate of
                              each step first and asks for --yes when something is off, like
                              migrate; the console's own migrations (before 20250108) take
                              --force: staff, sessions, API tokens and the audit log go with them
  status                      applied, pending and interrupted migrations, with their last run
  repair                      finish what an interrupted or failed run left half done
  validate [--json]           run the data-quality checks; exit 1 if an error-severity check fails
  seed                        load the default data (idempotent)
  demo [--symbols N] [--users N] [--prefs N] [--seed S]
                              load deterministic demo data (defaults: 1000, 100, 1000, "demo")
  staff create --email E --name N --role viewer|operator|admin [--password P]
                              create a staff account (password from --password or STAFF_PASSWORD; at least
                              12 characters and hard to guess, or refused with the reason)
  staff list                  list staff accounts
  token create --user ID|EMAIL --label L [--expires-in 30d|12h]
                              issue an API token for an end user (shown once); with
                              --expires-in, the API refuses it after that long
  token list --user ID|EMAIL  list a user's tokens
  token revoke --id TOKEN_ID  revoke a token
  lint-migrations             run squawk over the SQL the migrations send

The database is DATABASE_URL when set, otherwise the embedded one under .data/ (or SYMBOL_DESK_DATA_DIR);
while a server runs on the embedded one, it runs the command for you.`;

/**
 * Who a migration run is credited to: the operating-system account that ran the command (read
 * from the system, which a service or container sets even where $USER is not), and the command.
 */
const actor = (command: string) => `cli:${systemUser()} (${command})`;

function systemUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the uid is still a name.
    return `uid ${process.getuid?.() ?? "?"}`;
  }
}

function printSteps(steps: StepResult[], nothing: string): void {
  if (steps.length === 0) console.log(nothing);
  for (const s of steps)
    console.log(`  ${s.direction === "up" ? "applied" : "rolled back"} ${s.migration} in ${s.durationMs} ms`);
}

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return n;
}

class UsageError extends Error {}

async function withDatabase<T>(fn: (conn: DbConnection) => Promise<T>): Promise<T> {
  // Run by a server on its embedded engine (cli-remote.ts): its connection, which stays open.
  const hosted = hostedConnection();
  if (hosted) return fn(hosted);
  const conn = await openDatabase();
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

async function prepare(conn: DbConnection): Promise<void> {
  console.log(`Database: ${conn.engineLabel} (${conn.location})`);
  printSteps(await repairInterrupted(conn.db, actor("prepare")), "");
  printSteps(await migrateUp(conn.db, { actor: actor("prepare") }), "  schema is up to date");
  const fresh = await catalogueIsEmpty(conn.db);
  await loadDefaultData(conn.db);
  if (fresh) {
    await loadDemoData(conn.db, { symbols: 300, users: 50, preferences: 500, seed: "demo" });
    console.log("  loaded the default data and 300 demo symbols");
  }
  const port = config().PORT;
  console.log(
    `\nSymbol Desk: http://localhost:${port}\nFirst run: open it and create the first admin; later, ` +
      `sign in with a staff account.`,
  );
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: "string" },
      steps: { type: "string" },
      json: { type: "boolean" },
      symbols: { type: "string" },
      users: { type: "string" },
      prefs: { type: "string" },
      seed: { type: "string" },
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      password: { type: "string" },
      user: { type: "string" },
      label: { type: "string" },
      id: { type: "string" },
      force: { type: "boolean" },
      "expires-in": { type: "string" },
      help: { type: "boolean", short: "h" },
      yes: { type: "boolean" },
    },
  });
  const [command, sub] = positionals;
  if (!command || values.help) {
    console.log(HELP);
    return command ? 0 : 1;
  }

  switch (command) {
    case "prepare":
      return withDatabase(async (conn) => (await prepare(conn), 0));
    case "migrate":
      return withDatabase(async (conn) => {
        if (!(await migrateGate(conn.db, { target: values.to, yes: values.yes === true }))) return 1;
        printSteps(
          await migrateUp(conn.db, { actor: actor("migrate"), target: values.to }),
          "Nothing to apply: the schema is up to date.",
        );
        return 0;
      });
    case "rollback":
      return withDatabase(async (conn) => {
        const steps = intOption(values.steps, "steps", 1);
        const applied = (await migrationStatus(conn.db)).filter((m) => m.state === "applied").map((m) => m.name);
        const consoleOwn = (steps > 0 ? applied.slice(-steps) : []).filter(isConsoleMigration);
        if (consoleOwn.length > 0) {
          const which =
            `${consoleOwn.join(", ")} ${consoleOwn.length === 1 ? "is one" : "are"} of the console's ` +
            `own migrations.`;
          if (!values.force)
            throw new UsageError(`${which} ${CONSOLE_ROLLBACK_CONSEQUENCES}\nTake a backup; to go ahead, add --force.`);
          console.log(`Forced: ${which} ${CONSOLE_ROLLBACK_CONSEQUENCES}`);
        }
        if (!(await rollbackGate(conn.db, { steps, yes: values.yes === true }))) return 1;
        printSteps(
          await migrateDown(conn.db, { actor: actor("rollback"), steps, force: values.force }),
          "Nothing to roll back.",
        );
        return 0;
      });
    case "repair":
      return withDatabase(async (conn) => {
        printSteps(await repairInterrupted(conn.db, actor("repair")), "Nothing to repair: no interrupted run.");
        return 0;
      });
    case "status":
      return withDatabase(async (conn) => {
        console.log(`Database: ${conn.engineLabel} (${conn.location})`);
        for (const m of await migrationStatus(conn.db)) {
          const run = m.lastRun
            ? `last ${m.lastRun.direction} ${m.lastRun.outcome} ${m.lastRun.startedAt.toISOString()} by ` +
              `${m.lastRun.actor}` +
              (m.lastRun.durationMs === null ? "" : ` (${m.lastRun.durationMs} ms)`)
            : "never run";
          console.log(`  ${m.state.padEnd(11)} ${m.name}  ${run}`);
          if (m.state === "interrupted") console.log(`              run \`npm run db -- repair\` to finish it`);
        }
        return 0;
      });
    case "validate":
      return withDatabase(async (conn) => {
        const { runChecks, formatReport } = await import("./checks/runner.js");
        const report = await runChecks(conn);
        console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
        return report.passed ? 0 : 1;
      });
    case "seed":
      return withDatabase(async (conn) => {
        await loadDefaultData(conn.db);
        console.log("Default data loaded.");
        return 0;
      });
    case "demo":
      return withDatabase(async (conn) => {
        const options = {
          symbols: intOption(values.symbols, "symbols", 1000),
          users: intOption(values.users, "users", 100),
          preferences: intOption(values.prefs, "prefs", 1000),
          seed: values.seed ?? "demo",
        };
        const started = performance.now();
        let last = 0;
        await loadDemoData(conn.db, {
          ...options,
          onProgress: (stage, done, total) => {
            const now = performance.now();
            if (done === total || now - last > 1000) {
              console.log(`  ${stage}: ${done.toLocaleString("en")} / ${total.toLocaleString("en")}`);
              last = now;
            }
          },
        });
        console.log(`Demo data loaded in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
        return 0;
      });
    case "staff":
      return withDatabase(async (conn) => {
        const { checkNewPassword, createStaffUser, listStaff } = await import("./repositories/staff.js");
        if (sub === "list") {
          for (const s of await listStaff(conn.db)) console.log(`  ${s.role.padEnd(8)} ${s.email}  ${s.display_name}`);
          return 0;
        }
        if (sub !== "create") throw new UsageError("staff takes `create` or `list`");
        const password = values.password ?? config().STAFF_PASSWORD;
        const role = values.role;
        if (!values.email || !values.name || !password || !role) {
          throw new UsageError("staff create needs --email, --name, --role and --password (or STAFF_PASSWORD)");
        }
        if (role !== "viewer" && role !== "operator" && role !== "admin")
          throw new UsageError("--role must be viewer, operator or admin");
        // The same password rule as setup, invitations, resets and /account (db/rules/password.ts).
        checkNewPassword(password, [values.email, values.name]);
        const staff = await createStaffUser(conn.db, { email: values.email, displayName: values.name, role, password });
        console.log(`Created ${staff.role} ${staff.email}.`);
        return 0;
      });
    case "token":
      return withDatabase(async (conn) => {
        const tokens = await import("./repositories/api-tokens.js");
        const { findUserByIdOrEmail } = await import("./repositories/users.js");
        const findUser = async () => {
          if (!values.user) throw new UsageError("--user takes a user id or email");
          const user = await findUserByIdOrEmail(conn.db, values.user);
          if (!user) throw new UsageError(`No user ${values.user}`);
          return user;
        };
        if (sub === "create") {
          const user = await findUser();
          const expiresIn = values["expires-in"];
          let lifetimeMs: number | null = null;
          try {
            lifetimeMs = expiresIn === undefined ? null : tokens.parseTokenLifetime(expiresIn);
          } catch (error) {
            throw new UsageError(`--expires-in: ${error instanceof Error ? error.message : String(error)}`);
          }
          const issued = await tokens.issueApiToken(conn.db, user.id, values.label ?? "issued from the command line", {
            lifetimeMs,
          });
          const expires = issued.apiToken.expiresAt
            ? `expires ${issued.apiToken.expiresAt.toISOString()}`
            : "never expires";
          console.log(`Token for ${user.email}, ${expires} (shown once, store it now):\n${issued.token}`);
          return 0;
        }
        if (sub === "list") {
          for (const t of await tokens.listApiTokens(conn.db, (await findUser()).id)) {
            const expired = t.expiresAt !== null && t.expiresAt.getTime() <= Date.now();
            const state = t.revokedAt ? "revoked" : expired ? "expired" : "active";
            console.log(
              `  ${t.id}  ${t.prefix}  ${state.padEnd(7)}  ${t.label}  last used ` +
                `${t.lastUsedAt?.toISOString() ?? "never"}` +
                `  expires ${t.expiresAt?.toISOString() ?? "never"}`,
            );
          }
          return 0;
        }
        if (sub === "revoke") {
          if (!values.id) throw new UsageError("token revoke needs --id");
          const revoked = await tokens.revokeApiToken(conn.db, values.id);
          if (!revoked) throw new UsageError(`No token ${values.id}`);
          console.log(`Token ${revoked.prefix} revoked.`);
          return 0;
        }
        throw new UsageError("token takes `create`, `list` or `revoke`");
      });
    case "lint-migrations":
      return lintMigrations();
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${HELP}`);
  }
}

/** Runs one command line and prints its errors; resolves to the process's exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    // The embedded engine is held by a running server: ask it to run the command.
    if (error instanceof DataDirectoryLockedError && !hostedConnection() && serverTakesCommands(error.dataDir)) {
      return runOnServer(error.dataDir, withEnvironmentOptions(argv));
    }
    console.error(error instanceof Error ? `Error: ${error.message}` : error);
    return error instanceof UsageError ? 2 : 1;
  }
}

// The server has its own environment: what a command takes from this one travels as an option.
function withEnvironmentOptions(argv: string[]): string[] {
  const password = config().STAFF_PASSWORD;
  const needsPassword = argv[0] === "staff" && !argv.some((arg) => arg.startsWith("--password"));
  return needsPassword && password ? [...argv, "--password", password] : argv;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exit(await runCommand(process.argv.slice(2)));
}
