import cluster, { type Worker } from "node:cluster";
import type { Config } from "#db/config";
import { storedSessionSecret } from "../utils/stored-secret.server";

// SERVER_WORKERS above 1: this process opens no database and serves nothing itself. It starts that
// many workers, each a whole console server (console-instance.ts) on the same port; Node's cluster
// primary accepts the connections and hands them to the workers in turn. Each worker is one
// instance among several, as in docs/deployment.md: one leads the background work, NOTIFY keeps
// their caches in step, and they sign sessions with one secret.
//
// A worker that stops before it listens (a configuration it refuses, a database it may not use)
// stops them all: every worker would refuse the same way. One that dies while serving is replaced.
// SIGTERM or SIGINT passes SIGTERM to every worker, which drains as a single server does; this
// process exits once they all have.

export function superviseWorkers(settings: Config): void {
  if (!settings.DATABASE_URL) {
    console.error(
      `[server] SERVER_WORKERS=${settings.SERVER_WORKERS} needs DATABASE_URL: the embedded database is opened by ` +
        "one process only. Set DATABASE_URL to a PostgreSQL server, or leave SERVER_WORKERS unset.",
    );
    process.exit(1);
  }
  // Without SESSION_SECRET each worker would read the generated one in .data/ anyway, but an
  // instance refuses to start without SESSION_SECRET while other instances use the database.
  if (!settings.SESSION_SECRET?.length) process.env.SESSION_SECRET = storedSessionSecret();

  const running = new Set<Worker>();
  let stopping = false;
  let exitCode = 0;

  const stopAll = () => {
    stopping = true;
    for (const worker of running) worker.process.kill("SIGTERM");
  };

  const startWorker = () => {
    const worker = cluster.fork();
    running.add(worker);
    let listening = false;
    worker.once("listening", () => (listening = true));
    worker.once("exit", (code, signal) => {
      running.delete(worker);
      const how = signal ?? `code ${code}`;
      if (stopping) {
        if (running.size === 0) process.exit(exitCode);
      } else if (!listening) {
        console.error(`[server] a worker stopped before it listened (${how}): stopping every worker`);
        exitCode = code || 1;
        stopAll();
        if (running.size === 0) process.exit(exitCode);
      } else {
        console.error(`[server] worker ${worker.process.pid} stopped (${how}): starting another`);
        startWorker();
      }
    });
  };

  for (let i = 0; i < settings.SERVER_WORKERS; i++) startWorker();
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, stopAll);
}

/** Whether this process is the first of its workers, or the only server: what is said once is said here. */
export const speaksForTheServer = (): boolean => !cluster.isWorker || cluster.worker?.id === 1;
