import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, mkdtempSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

// What the topology harness shares: free ports, scratch directories the postgres user owns, and
// child processes that are stopped whatever happens to the test.

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  return { uid, gid };
}

/** A temporary directory owned by the postgres user (PostgreSQL and PgBouncer refuse to run as root). */
export function postgresOwnedTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const { uid, gid } = postgresIds();
  chownSync(dir, uid, gid);
  return dir;
}

export function chownToPostgres(file: string): void {
  const { uid, gid } = postgresIds();
  chownSync(file, uid, gid);
}

/** Runs `command` as the postgres user, waiting for it; throws with its output when it fails. */
export function runAsPostgres(command: string, args: string[], timeoutMs = 120_000): string {
  return execFileSync("runuser", ["-u", "postgres", "--", command, ...args], {
    timeout: timeoutMs,
    stdio: ["ignore", "pipe", "pipe"],
  }).toString();
}

export function spawnAsPostgres(command: string, args: string[]): ChildProcess {
  return spawn("runuser", ["-u", "postgres", "--", command, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

/** Waits until `port` accepts TCP connections, or throws after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not open port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends `signal` to `child` and waits for it to exit (SIGKILL after `graceMs`). */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = "SIGTERM",
  graceMs = 10_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
