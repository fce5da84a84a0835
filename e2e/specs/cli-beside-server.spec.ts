import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ROOT_DIR } from "../support/run-env.js";
import { serveArgs } from "../support/serve-command.js";

// `npm run db -- …` on the embedded database while `npm start` serves it: the server runs the
// command (db/cli-remote.ts), the output is the same as without a server, the server sees the
// change at once, and the data directory stays whole. The lock still refuses a second server.

const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3110) + 20;
const PASSWORD = "violet-harbour-tramline-4821";

test.describe.configure({ mode: "serial" });
test.setTimeout(300_000);

let dataDir: string;
const servers: ChildProcess[] = [];

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  DATABASE_URL: "",
  SYMBOL_DESK_DATA_DIR: dataDir,
  NODE_ENV: "production",
  ...extra,
});

function cli(args: string[], extraEnv: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "db/cli.ts", ...args], {
    cwd: ROOT_DIR,
    env: env(extraEnv),
    encoding: "utf8",
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

async function startServer(port: number): Promise<{ process: ChildProcess; log: () => string }> {
  let log = "";
  const server = spawn(process.execPath, serveArgs(), {
    cwd: ROOT_DIR,
    env: env({ PORT: String(port), SESSION_SECRET: "c".repeat(64), BROADCASTER_IN_PROCESS: "false" }),
  });
  servers.push(server);
  server.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
  server.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  await expect
    .poll(async () => (await fetch(`http://localhost:${port}/login`).catch(() => null))?.status ?? 0, {
      timeout: 120_000,
    })
    .not.toBe(0);
  return { process: server, log: () => log };
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
}

test.beforeAll(() => {
  dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "symbol-desk-cli-")), "pglite");
  expect(cli(["prepare"]).code).toBe(0);
});

test.afterAll(async () => {
  await Promise.all(servers.map(stop));
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

test("every command works beside a running server, with the same output, and the server sees its writes", async ({
  playwright,
}) => {
  const alone = { status: cli(["status"]), list: cli(["staff", "list"]) };
  expect(alone.status.code).toBe(0);

  const port = PORT_BASE;
  const server = await startServer(port);
  const socket = `${dataDir}.cli/sock`;
  // Only the server's OS user may reach it: the directory is private, the socket too.
  expect(fs.statSync(path.dirname(socket)).mode & 0o777).toBe(0o700);
  expect(fs.statSync(socket).mode & 0o777).toBe(0o600);

  // Same output as without a server.
  expect(cli(["status"])).toEqual(alone.status);
  expect(cli(["staff", "list"])).toEqual(alone.list);
  // Errors too, with their exit code.
  const missing = cli(["token", "list", "--user", "nobody@cli.test"]);
  expect(missing).toMatchObject({ code: 2, err: "Error: No user nobody@cli.test\n" });

  // A write through the command line is seen by the server at once: the new operator signs in.
  // The password comes from this shell's STAFF_PASSWORD, not the server's environment.
  const created = cli(["staff", "create", "--email", "op@cli.test", "--name", "Cli Operator", "--role", "operator"], {
    STAFF_PASSWORD: PASSWORD,
  });
  expect(created.err).toBe("");
  expect(created).toMatchObject({ code: 0, out: "Created operator op@cli.test.\n" });
  const http = await playwright.request.newContext({
    baseURL: `http://localhost:${port}`,
    extraHTTPHeaders: { Origin: `http://localhost:${port}` },
  });
  const signIn = await http.post("/login", { form: { email: "op@cli.test", password: PASSWORD }, maxRedirects: 0 });
  expect(signIn.status()).toBe(302);
  expect(signIn.headers()["set-cookie"]).toContain("symbol_desk");
  await http.dispose();

  // The lock still refuses a second server: it answers 503 and takes no commands.
  const second = await startServer(port + 1);
  expect((await fetch(`http://localhost:${port + 1}/login`)).status).toBe(503);
  expect(second.log()).toContain("is in use by process");
  await stop(second.process);
  expect(fs.statSync(socket).isSocket()).toBe(true);
  expect(cli(["staff", "list"]).out).toContain("op@cli.test");

  // Stopped, the server leaves no socket, and the files opened directly hold the write, whole.
  await stop(server.process);
  expect(fs.existsSync(socket)).toBe(false);
  expect(cli(["staff", "list"]).out).toContain("operator op@cli.test  Cli Operator");
  // The data checks pass; the timed ones ("performance") are left out, a busy machine may slow them.
  const validate = cli(["validate", "--json"]);
  const report = JSON.parse(validate.out) as { results: { id: string; category: string; status: string }[] };
  const failed = report.results.filter((r) => r.category !== "performance" && ["fail", "error"].includes(r.status));
  expect(failed).toEqual([]);
  expect(report.results.length).toBeGreaterThan(25);
});
