import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { format } from "node:util";
import type { DbConnection } from "./client.js";

/**
 * The embedded engine lives inside one process (the lock in pglite-lock.ts refuses a second
 * opener), so while `npm start` runs, a `npm run db -- …` command asks the server to run it: the
 * command line's own code, on the server's own connection, with its output streamed back. Nothing
 * opens the data files twice, and a change made this way reaches the server's caches like one made
 * in the console (same process, same notifications).
 *
 * The request goes over a Unix socket inside a directory only the server's OS user can enter
 * (0700): whoever may use it may already read the data files.
 */

type Line = { type: "out" | "err"; text: string } | { type: "exit"; code: number };

interface HostedCommand {
  conn: DbConnection;
  write(line: Line): void;
}

const hosted = new AsyncLocalStorage<HostedCommand>();

/** Where a server on the embedded data directory `dataDir` takes command-line requests. */
export function cliSocketPath(dataDir: string): string {
  return path.join(`${path.resolve(dataDir)}.cli`, "sock");
}

/** The server's connection while a command runs on the server's behalf, else undefined. */
export function hostedConnection(): DbConnection | undefined {
  return hosted.getStore()?.conn;
}

// Output of a command run for a client goes to that client; the server's own lines (requests,
// checks) stay in its log. The async context tells them apart.
let consoleRouted = false;
function routeConsoleToClients(): void {
  if (consoleRouted) return;
  consoleRouted = true;
  for (const method of ["log", "info", "warn", "error"] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const command = hosted.getStore();
      if (command)
        command.write({ type: method === "log" || method === "info" ? "out" : "err", text: format(...args) });
      else original(...args);
    };
  }
}

export interface CliHost {
  close(): Promise<void>;
}

/**
 * Serves command-line requests on `cliSocketPath(dataDir)`, one at a time (the embedded engine
 * runs one statement at a time anyway). `run` is the command line's own entry.
 */
export async function hostCli(
  conn: DbConnection,
  dataDir: string,
  run: (argv: string[]) => Promise<number>,
): Promise<CliHost> {
  const socketPath = cliSocketPath(dataDir);
  const dir = path.dirname(socketPath);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  // The caller holds the data directory's lock, so a socket left here is a crashed server's.
  fs.rmSync(socketPath, { force: true });
  routeConsoleToClients();

  let queue = Promise.resolve();
  const server = net.createServer((socket) => {
    socket.on("error", () => {});
    const lines = createInterface({ input: socket });
    lines.once("line", (request) => {
      lines.close();
      const argv = parseRequest(request);
      if (!argv) {
        socket.end(`${JSON.stringify({ type: "exit", code: 2 } satisfies Line)}\n`);
        return;
      }
      queue = queue.then(async () => {
        const write = (line: Line) => {
          if (!socket.destroyed) socket.write(`${JSON.stringify(line)}\n`);
        };
        const code = await hosted.run({ conn, write }, () => run(argv));
        socket.end(`${JSON.stringify({ type: "exit", code } satisfies Line)}\n`);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  return {
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        fs.rmSync(socketPath, { force: true });
      }),
  };
}

function parseRequest(request: string): string[] | null {
  try {
    const parsed: unknown = JSON.parse(request);
    if (typeof parsed !== "object" || parsed === null || !("argv" in parsed)) return null;
    const { argv } = parsed;
    return Array.isArray(argv) && argv.every((arg) => typeof arg === "string") ? argv : null;
  } catch {
    return null;
  }
}

/** Whether a server on `dataDir` takes command-line requests. */
export function serverTakesCommands(dataDir: string): boolean {
  try {
    return fs.statSync(cliSocketPath(dataDir)).isSocket();
  } catch {
    return false;
  }
}

/** Runs `argv` on the server of `dataDir`, printing its output here; resolves to its exit code. */
export function runOnServer(dataDir: string, argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(cliSocketPath(dataDir));
    let exitCode: number | null = null;
    socket.on("error", reject);
    socket.on("connect", () => socket.write(`${JSON.stringify({ argv })}\n`));
    createInterface({ input: socket }).on("line", (text) => {
      const line = JSON.parse(text) as Line;
      if (line.type === "exit") exitCode = line.code;
      else if (line.type === "out") console.log(line.text);
      else console.error(line.text);
    });
    socket.on("close", () =>
      exitCode === null
        ? reject(new Error("The server closed the connection before the command ended."))
        : resolve(exitCode),
    );
  });
}
