import path from "node:path";
import { Kysely, type KyselyConfig, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";
import { type ListenHandlers, type Listener, listenOnServer } from "./notifications.js";
import { lockDataDirectory } from "./pglite-lock.js";
import { detectPooler } from "./pooler-detection.js";
import { PREPARABLE } from "./queries/compiled.js";
import { createReadRouter, READ_PRIMARY_CHANNEL } from "./read-routing.js";
import { openReplica, type ReplicaStatus } from "./replica.js";
import { config, parseConfig } from "./config.js";

/**
 * What the rest of the project may ask about the engine. Only this file knows which engine is
 * behind `db`; everything else asks these questions instead.
 */
export interface EngineFeatures {
  /** `statement_timeout` actually cancels a running statement. */
  statementTimeout: boolean;
  /** Statistics views (pg_stat_user_indexes…) are live without a forced flush. */
  liveStatistics: boolean;
  /** Several sessions can run at once (CREATE INDEX CONCURRENTLY really overlaps writes). */
  concurrentSessions: boolean;
}

export interface Topology {
  /** DATABASE_URL leads to a pooler that shares server sessions between clients. */
  pooled: boolean;
  poolerDetail: string;
  /** A direct URL of its own (DATABASE_DIRECT_URL) carries the session-level work. */
  separateDirectUrl: boolean;
  /** LISTEN, session advisory locks, session SET and migrations can be used. */
  sessions: boolean;
  /** How caches learn of a change: NOTIFY on a listening session, or a version row read at most once a second. */
  changes: "notify" | "poll";
  replica: ReplicaStatus | null;
}

export interface DbConnection {
  /** Every query and transaction; may go through a pooler, so it carries no session state. */
  db: Kysely<Database>;
  /** A session-capable connection (the direct URL): migrations, rehearsals, advisory locks, SET. */
  direct: Kysely<Database>;
  /** Human-readable engine name shown next to every measured figure. */
  engineLabel: string;
  features: EngineFeatures;
  /** Where the data lives, for messages and the status command (never includes a password). */
  location: string;
  /** A URL on which a dedicated session may be opened (leadership); null on the embedded engine or without one. */
  sessionUrl: string | null;
  topology(): Topology;
  /** Hears NOTIFY on `channels` (see notifications.ts); closed with the connection. */
  listen(channels: readonly string[], handlers: ListenHandlers): Promise<Listener>;
  /**
   * Runs a read that may be a few seconds old on the replica when one is usable, else on the
   * primary. A `scope` (say `user:<id>`) that wrote recently reads the primary.
   */
  read<T>(scope: string | null, work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** `scope` has just written: its next reads go to the primary, on every instance. */
  wrote(scope: string): Promise<void>;
  close(): Promise<void>;
  /** The embedded engine only: a copy of its data directory, which `startFrom` opens again. */
  dumpDataDir?(): Promise<Blob>;
}

export interface OpenOptions {
  /** A postgres:// URL selects the PostgreSQL server; otherwise the embedded engine is used. */
  databaseUrl?: string;
  /** A direct connection to the same database, when `databaseUrl` is a pooler. */
  databaseDirectUrl?: string;
  databaseReplicaUrl?: string;
  replicaMaxLagSeconds?: number;
  /** Embedded data directory, or ":memory:" for a throwaway database. */
  dataDir?: string;
  /**
   * A throwaway embedded database starts as this copy of a data directory (PGlite's
   * `dumpDataDir`) instead of an empty one: loading one takes about a second, creating one four.
   */
  startFrom?: Blob;
  poolSize?: number;
  /** Sees every statement sent (used to lint exactly the SQL the migrations send). */
  onQuery?: (sql: string) => void;
}

export const DEFAULT_DATA_DIR = ".data/pglite";

export function optionsFromEnv(env?: Record<string, string | undefined>): OpenOptions {
  const settings = env ? parseConfig(env) : config();
  return {
    databaseUrl: settings.DATABASE_URL,
    databaseDirectUrl: settings.DATABASE_DIRECT_URL,
    databaseReplicaUrl: settings.DATABASE_REPLICA_URL,
    replicaMaxLagSeconds: settings.REPLICA_MAX_LAG_SECONDS,
    dataDir: settings.SYMBOL_DESK_DATA_DIR,
    poolSize: settings.DATABASE_POOL_SIZE,
  };
}

export async function openDatabase(options: OpenOptions = optionsFromEnv()): Promise<DbConnection> {
  const log: KyselyConfig["log"] = options.onQuery
    ? (event) => {
        if (event.level === "query") options.onQuery?.(event.query.sql);
      }
    : undefined;
  return options.databaseUrl
    ? openServer({ ...options, databaseUrl: options.databaseUrl }, log)
    : openEmbedded(options.dataDir ?? DEFAULT_DATA_DIR, log, options.startFrom);
}

export class SessionUnavailableError extends Error {
  override name = "SessionUnavailableError";
}

// Pooled handles mapped to their session-capable sibling (null: none), so that work which needs
// a session (the migrator) is given one whichever handle its caller holds.
const sessionSiblings = new WeakMap<Kysely<Database>, Kysely<Database> | null>();

/** The session-capable handle for `db`; throws a clear error behind a pooler without a direct URL. */
export function sessionDbFor(db: Kysely<Database>): Kysely<Database> {
  const sibling = sessionSiblings.get(db);
  if (sibling === undefined) return db;
  if (sibling === null) {
    throw new SessionUnavailableError(
      "DATABASE_URL leads to a transaction pooler, where session-level work (migrations, advisory locks) " +
        "would land on other clients' sessions: set DATABASE_DIRECT_URL to a direct connection.",
    );
  }
  return sibling;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "PostgreSQL server";
  }
}

/**
 * A pool of connections to `url`; with `prepare`, each session keeps the hot queries
 * (queries/compiled.ts PREPARABLE) as named prepared statements, planned once per session. Only
 * where a session is the app's own: a transaction pooler would hand the statement to another.
 */
function serverPool(url: string, max: number, options: { prepare: boolean } = { prepare: false }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // A request never waits forever for a connection, and idle ones are given back.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // Without these handlers a PostgreSQL restart emits 'error' on idle clients and kills the
  // process; with them the broken client is discarded and the next query reconnects.
  pool.on("error", (error) => console.error(`[db] idle connection lost: ${error.message}`));
  pool.on("connect", (client) => {
    client.on("error", (error) => console.error(`[db] connection error: ${error.message}`));
    if (options.prepare) namePreparable(client);
  });
  return pool;
}

/**
 * Kysely sends `query(sql, parameters)`; a PREPARABLE statement goes out under its name, which
 * node-postgres parses once per session and then only binds. PostgreSQL re-checks a prepared
 * statement after any schema change (a column dropped by a rollback fails it as it would fail
 * the text), and a statement that fails to parse is parsed again next time.
 */
function namePreparable(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    const name = typeof config === "string" && Array.isArray(values) ? PREPARABLE.get(config) : undefined;
    if (name === undefined) return callback === undefined ? query(config, values) : query(config, values, callback);
    // Named once made: node-postgres copies a config object descriptor by descriptor for every
    // query, and takes a string as it is.
    const named = Object.assign(new pg.Query(config as string, values as unknown[]), { name });
    if (typeof callback === "function") return query(named, callback);
    return new Promise((resolve, reject) => {
      query(
        Object.assign(named, {
          callback: (error: Error | null, result: unknown) => (error ? reject(error) : resolve(result)),
        }),
      );
    });
  };
}

/** Session work is rare (a migration step, a rehearsal): a few direct connections are enough. */
const DIRECT_POOL_SIZE = 3;

async function openServer(
  options: OpenOptions & { databaseUrl: string },
  log?: KyselyConfig["log"],
): Promise<DbConnection> {
  const { databaseUrl } = options;
  const directUrl = options.databaseDirectUrl ?? databaseUrl;
  const separateDirectUrl = directUrl !== databaseUrl;
  const detection = await detectPooler(databaseUrl);
  const sessions = !detection.pooled || separateDirectUrl;
  if (detection.pooled) {
    console.log(
      `[db] DATABASE_URL leads to a transaction pooler (${detection.detail}); ` +
        (separateDirectUrl
          ? "session-level work goes over DATABASE_DIRECT_URL"
          : "no DATABASE_DIRECT_URL: caches poll for changes once a second, migrations are refused"),
    );
  }
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: serverPool(databaseUrl, options.poolSize ?? 10, { prepare: !detection.pooled }),
    }),
    log,
  });
  const direct = separateDirectUrl
    ? new Kysely<Database>({ dialect: new PostgresDialect({ pool: serverPool(directUrl, DIRECT_POOL_SIZE) }), log })
    : db;
  if (detection.pooled) sessionSiblings.set(db, separateDirectUrl ? direct : null);

  const listeners = new Set<Listener>();
  const listen = async (channels: readonly string[], handlers: ListenHandlers): Promise<Listener> => {
    // Through a transaction pooler LISTEN is accepted and then silently lost: never listen there.
    const listener = sessions ? listenOnServer(directUrl, channels, handlers) : { live: false, close: async () => {} };
    listeners.add(listener);
    return listener;
  };

  const replica = options.databaseReplicaUrl
    ? openReplica(options.databaseReplicaUrl, {
        poolSize: options.poolSize ?? 10,
        maxLagSeconds: options.replicaMaxLagSeconds ?? 5,
        log,
      })
    : null;
  // A marker outlives the longest lag a replica may have and still be read, plus one measurement.
  const router = replica ? createReadRouter(db, replica, ((options.replicaMaxLagSeconds ?? 5) + 2) * 1000) : null;
  if (router) {
    router.setListener(
      listen([READ_PRIMARY_CHANNEL], { onNotify: (_channel, scope) => router.heard(scope), onGap: () => {} }).catch(
        () => null,
      ),
    );
  }

  return {
    db,
    direct,
    engineLabel: "PostgreSQL server",
    features: { statementTimeout: true, liveStatistics: true, concurrentSessions: true },
    location: redact(databaseUrl),
    sessionUrl: sessions ? directUrl : null,
    topology: () => ({
      pooled: detection.pooled,
      poolerDetail: detection.detail,
      separateDirectUrl,
      sessions,
      changes: sessions ? "notify" : "poll",
      replica: replica?.status() ?? null,
    }),
    listen,
    read: (scope, work) => (router ? router.read(scope, work) : work(db)),
    wrote: async (scope) => {
      if (router) await router.wrote(scope);
    },
    close: async () => {
      await Promise.all([...listeners].map((listener) => listener.close()));
      await replica?.close();
      if (direct !== db) await direct.destroy();
      await db.destroy();
    },
  };
}

// A copy is a data directory that was not shut down, so the engine starts by recovering it. The
// recovery's progress timer then re-arms itself forever, and a process that closed the engine
// never exits: the progress log is turned off.
const copyStartParams = (engine: { defaultStartParams: string[] }) => [
  ...engine.defaultStartParams,
  "-c",
  "log_startup_progress_interval=0",
];

async function openEmbedded(dataDir: string, log?: KyselyConfig["log"], startFrom?: Blob): Promise<DbConnection> {
  // Loaded lazily so a deployment on a PostgreSQL server never loads the WebAssembly engine.
  const [{ PGlite }, { PGliteDialect }, { pg_trgm }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("kysely-pglite-dialect"),
    // Trigram search (symbol search by name) needs the extension loaded into the engine.
    import("@electric-sql/pglite/contrib/pg_trgm"),
  ]);
  const inMemory = dataDir === ":memory:";
  const release = inMemory ? () => {} : lockDataDirectory(dataDir);
  try {
    const extensions = { pg_trgm };
    const pglite = inMemory
      ? new PGlite({ extensions, loadDataDir: startFrom, startParams: startFrom && copyStartParams(PGlite) })
      : new PGlite(path.resolve(dataDir), { extensions });
    await pglite.waitReady;
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), log });
    return {
      db,
      direct: db,
      engineLabel: "embedded PGlite",
      features: { statementTimeout: false, liveStatistics: false, concurrentSessions: false },
      location: inMemory ? "in memory" : path.resolve(dataDir),
      sessionUrl: null,
      topology: () => ({
        pooled: false,
        poolerDetail: "embedded: one session, in this process",
        separateDirectUrl: false,
        sessions: true,
        changes: "notify",
        replica: null,
      }),
      read: (_scope, work) => work(db),
      wrote: async () => {},
      dumpDataDir: () => pglite.dumpDataDir("none"),
      // One process owns the engine, so every change is made through this instance and each
      // notification reaches it: the listener is always live.
      listen: async (channels, handlers) => {
        const stops = await Promise.all(
          channels.map((channel) => pglite.listen(channel, (payload) => handlers.onNotify(channel, payload))),
        );
        return { live: true, close: async () => void (await Promise.all(stops.map((stop) => stop()))) };
      },
      close: async () => {
        try {
          await db.destroy();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
