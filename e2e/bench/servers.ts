import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serveArgs } from "../support/serve-command.js";

// Starts the production build and the raw yardstick server as child processes of their own, so
// their memory can be read from /proc and neither shares an event loop with the load generator.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface RunningServer {
  name: string;
  url: string;
  process: ChildProcess;
  rssMb(): number | null;
  /** Sends `signal` (SIGTERM: a clean stop; SIGKILL: a crash) and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A server started here, whose stderr is read as well as passed on to this process's stderr. */
export interface StartedServer extends RunningServer {
  /** What the process has written to stderr so far. */
  errors(): string;
}

// Generous: on a machine shared with other runs, a start-up has been seen to take most of a minute.
export async function waitUntilUp(
  url: string,
  child: ChildProcess,
  { timeoutMs = 180_000, answered = (_response: Response): boolean => true } = {},
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    const response = await fetch(url, { redirect: "manual" }).catch(() => null);
    if (response && answered(response)) return response;
    await response?.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

/** Resident memory of a process, or null once it is gone. */
export function residentMb(pid: number | undefined): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

/** The processes a server's own process started (its workers); none once it is gone. */
function childrenOf(pid: number | undefined): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Resident memory of a process and its children (a server's workers), or null once it is gone. */
function treeResidentMb(pid: number | undefined): number | null {
  const own = residentMb(pid);
  if (own === null) return null;
  return childrenOf(pid).reduce((sum, child) => sum + (residentMb(child) ?? 0), own);
}

/** The kernel's clock ticks per second (USER_HZ) in /proc, 100 on Linux on every architecture. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user and system) a process has used so far, or null once it is gone. */
export function cpuSeconds(pid: number | undefined): number | null {
  try {
    // utime and stime, the 12th and 13th fields after the command's closing parenthesis (the
    // command itself may hold spaces and parentheses).
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU seconds used so far by a process and its children (a server's workers), or null once it is gone. */
export function treeCpuSeconds(pid: number | undefined): number | null {
  const own = cpuSeconds(pid);
  if (own === null) return null;
  return childrenOf(pid).reduce((sum, child) => sum + (cpuSeconds(child) ?? 0), own);
}

/** Sends `signal` and waits for the process to exit (at once when it already has). */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

async function start(
  name: string,
  args: string[],
  port: number,
  env: Record<string, string>,
  probePath: string,
): Promise<StartedServer> {
  // Something else answering on the port would be measured in the server's place (its own
  // listen failing unseen): refuse instead.
  const taken = await fetch(`http://127.0.0.1:${port}/`, { redirect: "manual" }).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`${name}: port ${port} is already in use; set E2E_PORT_BASE to move the bench's ports`);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    // Enough for a test to read what went wrong; a bench server logging for minutes stays small.
    if (errors.length < 1_000_000) errors += chunk.toString();
    process.stderr.write(chunk);
  });
  const url = `http://127.0.0.1:${port}`;
  const server: StartedServer = {
    name,
    url,
    process: child,
    rssMb: () => treeResidentMb(child.pid),
    errors: () => errors,
    stop: (signal = "SIGTERM") => stopChild(child, signal),
  };
  // A server that never came up is stopped, not left running after the bench has gone.
  return waitUntilUp(`${url}${probePath}`, child).then(
    () => server,
    (error: unknown) => server.stop("SIGKILL").then(() => Promise.reject(error)),
  );
}

/** The production server, as `npm start` runs it. */
export function startApp(port: number, env: Record<string, string>): Promise<StartedServer> {
  return start("Symbol Desk", serveArgs(), port, env, "/login");
}

/**
 * The production server expected to refuse to start: resolves with its exit code and what it
 * wrote, or rejects (after stopping it) when it is still running after `timeoutMs`.
 */
export function runAppExpectingExit(
  port: number,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, serveArgs(), {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server was still running after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export function startRaw(port: number, env: Record<string, string>): Promise<RunningServer> {
  return start("raw node:http + pg", ["--import", "tsx", path.join("e2e", "bench", "raw-server.ts")], port, env, "/");
}

/** The defaults endpoint's ceiling: the app's defaults body sent from memory (ceiling-server.ts). */
export async function startCeiling(port: number, app: RunningServer): Promise<RunningServer> {
  // The app answers 503 until its start-up checks ran: the ceiling gets the body it then sends.
  const answer = await waitUntilUp(`${app.url}/api/symbols/defaults`, app.process, { answered: (r) => r.ok });
  const body = Buffer.from(await answer.arrayBuffer()).toString("base64");
  const args = ["--import", "tsx", path.join("e2e", "bench", "ceiling-server.ts")];
  return start("node:http from memory", args, port, { BODY_BASE64: body }, "/");
}

/** The broadcast bench's floor: a bare ws server replaying the recorded ticks (raw-ws-server.ts). */
export function startRawWs(port: number, env: Record<string, string>): Promise<RunningServer> {
  return start("raw ws", ["--import", "tsx", path.join("e2e", "bench", "raw-ws-server.ts")], port, env, "/stats");
}
