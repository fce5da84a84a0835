import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { chownToPostgres, freePort, postgresOwnedTempDir, runAsPostgres } from "./processes.js";

// A streaming replica of the machine's PostgreSQL server: `pg_basebackup -R` into a temporary
// directory and a second postmaster on a free port, both run as the postgres user. The primary
// must accept replication connections from 127.0.0.1 (ensureReplicationAllowed).

export interface StreamingReplica {
  port: number;
  /** `url` pointed at the replica. */
  on(url: string): string;
  /** Stops replaying WAL (the replica falls behind on purpose), and resumes. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops the postmaster (idempotent) and removes its directory. */
  stop(): Promise<void>;
}

function binDir(version: string): string {
  const dir = `/usr/lib/postgresql/${version}/bin`;
  if (!existsSync(dir)) throw new Error(`PostgreSQL ${version} binaries not found in ${dir}`);
  return dir;
}

async function primaryQuery<T extends pg.QueryResultRow>(adminUrl: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const REPLICATION_LINE = "host replication all 127.0.0.1/32 trust";

/**
 * Adds a trust entry for replication from 127.0.0.1 to the primary's pg_hba.conf when it has
 * none, and reloads the configuration. Idempotent; returns whether the file was changed.
 */
export async function ensureReplicationAllowed(adminUrl: string): Promise<boolean> {
  const hbaFile = (await primaryQuery<{ hba_file: string }>(adminUrl, "show hba_file"))[0]!.hba_file;
  const current = readFileSync(hbaFile, "utf8");
  const allowed = current
    .split("\n")
    .some((line) => /^\s*host\s+replication\s+(all|postgres)\s+127\.0\.0\.1\/32\s+trust\b/.test(line));
  if (allowed) return false;
  writeFileSync(hbaFile, `${current.trimEnd()}\n# streaming replicas of the scale-out tests\n${REPLICATION_LINE}\n`);
  await primaryQuery(adminUrl, "select pg_reload_conf()");
  return true;
}

export async function startReplica(adminUrl: string): Promise<StreamingReplica> {
  const versionNum = (await primaryQuery<{ server_version_num: string }>(adminUrl, "show server_version_num"))[0]!
    .server_version_num;
  const bin = binDir(String(Math.floor(Number(versionNum) / 10_000)));
  const primary = new URL(adminUrl);
  const port = await freePort();
  const dir = postgresOwnedTempDir("sd-replica-");
  const data = path.join(dir, "data");
  const pgCtl = (args: string[]) => runAsPostgres(path.join(bin, "pg_ctl"), ["-D", data, ...args], 90_000);
  let running = false;
  const stop = async () => {
    if (running) {
      running = false;
      try {
        pgCtl(["-m", "fast", "-w", "-t", "30", "stop"]);
      } catch (error) {
        console.error(`[replica] stop failed: ${(error as Error).message}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    runAsPostgres(
      path.join(bin, "pg_basebackup"),
      [
        "-h",
        primary.hostname,
        "-p",
        primary.port || "5432",
        "-U",
        "postgres",
        "-D",
        data,
        "-R",
        "-X",
        "stream",
        "-c",
        "fast",
      ],
      300_000,
    );
    // Debian keeps the configuration outside the data directory: the copy gets a small one.
    const conf = path.join(data, "postgresql.conf");
    writeFileSync(
      conf,
      [
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        "hot_standby = on",
        "fsync = off",
        "max_connections = 100",
        "shared_buffers = 32MB",
        "autovacuum = off",
        "",
      ].join("\n"),
    );
    const hba = path.join(data, "pg_hba.conf");
    writeFileSync(hba, "local all all trust\nhost all all 127.0.0.1/32 trust\n");
    for (const file of [conf, hba]) chownToPostgres(file);
    for (const entry of readdirSync(data)) if (entry === "postmaster.pid") rmSync(path.join(data, entry));
    pgCtl(["-l", path.join(dir, "replica.log"), "-w", "-t", "60", "start"]);
    running = true;
  } catch (error) {
    await stop();
    throw error;
  }
  const on = (url: string) => {
    const parsed = new URL(url);
    parsed.hostname = "127.0.0.1";
    parsed.port = String(port);
    return parsed.toString();
  };
  const onReplica = (text: string) => primaryQuery(on(adminUrl), text).then(() => undefined);
  return {
    port,
    on,
    pauseReplay: () => onReplica("select pg_wal_replay_pause()"),
    resumeReplay: () => onReplica("select pg_wal_replay_resume()"),
    stop,
  };
}
