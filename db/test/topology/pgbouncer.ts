import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  chownToPostgres,
  freePort,
  postgresOwnedTempDir,
  spawnAsPostgres,
  stopChild,
  waitForPort,
} from "./processes.js";

// Debian's PgBouncer (1.18) in transaction mode in front of a PostgreSQL server, on a free port,
// for the tests that prove the app works through a pooler. Every database of the server is
// reachable through it (the `*` entry), so tests that create their own databases can use it.

export const PGBOUNCER_BIN = process.env.PGBOUNCER_BIN ?? "/usr/sbin/pgbouncer";

export interface PgBouncer {
  port: number;
  /** `url` with its host and port replaced by the pooler's. */
  through(url: string): string;
  stop(): Promise<void>;
}

export async function startPgBouncer(options: { upstreamPort?: number; poolSize?: number } = {}): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER_BIN)) {
    throw new Error(`PgBouncer is not installed at ${PGBOUNCER_BIN} (apt-get install pgbouncer)`);
  }
  const port = await freePort();
  const dir = postgresOwnedTempDir("sd-pgbouncer-");
  const ini = path.join(dir, "pgbouncer.ini");
  const users = path.join(dir, "userlist.txt");
  writeFileSync(users, '"postgres" ""\n');
  writeFileSync(
    ini,
    [
      "[databases]",
      `* = host=127.0.0.1 port=${options.upstreamPort ?? 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${users}`,
      "pool_mode = transaction",
      // The machine's server is shared: a small pool per database, a cap on the whole.
      `default_pool_size = ${options.poolSize ?? 4}`,
      "max_db_connections = 12",
      "max_client_conn = 2000",
      "server_idle_timeout = 10",
      "ignore_startup_parameters = extra_float_digits,options",
      `logfile = ${path.join(dir, "pgbouncer.log")}`,
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  for (const file of [ini, users]) chownToPostgres(file);
  const child = spawnAsPostgres(PGBOUNCER_BIN, [ini]);
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    // runuser passes the signal on; the pid file names PgBouncer itself should it not.
    const pidFile = path.join(dir, "pgbouncer.pid");
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : NaN;
    await stopChild(child, "SIGTERM", 5_000);
    if (Number.isInteger(pid)) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 10_000, "PgBouncer");
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return {
    port,
    through: (url) => {
      const parsed = new URL(url);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    stop,
  };
}
