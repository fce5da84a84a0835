import fs from "node:fs";
import path from "node:path";

/**
 * PGlite has no lock of its own: two processes opening one data directory silently corrupt it
 * (duplicate primary keys, lost rows). A pid file beside the directory makes the second opener
 * fail fast instead.
 */
export class DataDirectoryLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The embedded database at ${dataDir} is in use by process ${holderPid} ` +
        `(usually a running Symbol Desk server). Stop that process first, ` +
        `or set DATABASE_URL to use a PostgreSQL server that many processes can share.`,
    );
    this.name = "DataDirectoryLockedError";
  }
}

const heldInThisProcess = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockPath, "utf8"), 10);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

export function lockDataDirectory(dataDir: string): () => void {
  const lockPath = `${path.resolve(dataDir)}.lock`;
  if (heldInThisProcess.has(lockPath)) throw new DataDirectoryLockedError(dataDir, process.pid);
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      heldInThisProcess.add(lockPath);
      const release = () => {
        if (!heldInThisProcess.delete(lockPath)) return;
        if (readHolder(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
        process.off("exit", release);
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readHolder(lockPath);
      if (holder !== null && holder !== process.pid && isAlive(holder)) {
        throw new DataDirectoryLockedError(dataDir, holder);
      }
      // The holder died without cleaning up: the lock is stale.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}
