import path from "node:path";
import { Kysely, type KyselyConfig, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";
import { type ListenHandlers, type Listener, listenOnServer } from "./notifications.js";
import { lockDataDirectory } from "./pglite-lock.js";
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

export interface DbConnection {
  db: Kysely<Database>;
  /** Human-readable engine name shown next to every measured figure. */
  engineLabel: string;
  features: EngineFeatures;
  /** Where the data lives, for messages and the status command (never includes a password). */
  location: string;
  /** Hears NOTIFY on `channels` (see notifications.ts); closed with the connection. */
  listen(channels: readonly string[], handlers: ListenHandlers): Promise<Listener>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A postgres:// URL selects the PostgreSQL server; otherwise the embedded engine is used. */
  databaseUrl?: string;
  /** Embedded data directory, or ":memory:" for a throwaway database. */
  dataDir?: string;
  poolSize?: number;
  /** Sees every statement sent (used to lint exactly the SQL the migrations send). */
  onQuery?: (sql: string) => void;
}

export const DEFAULT_DATA_DIR = ".data/pglite";

export function optionsFromEnv(env?: Record<string, string | undefined>): OpenOptions {
  const settings = env ? parseConfig(env) : config();
  return {
    databaseUrl: settings.DATABASE_URL,
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
    ? openServer(options.databaseUrl, options.poolSize, log)
    : openEmbedded(options.dataDir ?? DEFAULT_DATA_DIR, log);
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

async function openServer(databaseUrl: string, poolSize = 10, log?: KyselyConfig["log"]): Promise<DbConnection> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    // A request never waits forever for a connection, and idle ones are given back.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // Without these handlers a PostgreSQL restart emits 'error' on idle clients and kills the
  // process; with them the broken client is discarded and the next query reconnects.
  pool.on("error", (error) => console.error(`[db] idle connection lost: ${error.message}`));
  pool.on("connect", (client) => {
    client.on("error", (error) => console.error(`[db] connection error: ${error.message}`));
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  const listeners = new Set<Listener>();
  return {
    db,
    engineLabel: "PostgreSQL server",
    features: { statementTimeout: true, liveStatistics: true, concurrentSessions: true },
    location: redact(databaseUrl),
    listen: async (channels, handlers) => {
      const listener = listenOnServer(databaseUrl, channels, handlers);
      listeners.add(listener);
      return listener;
    },
    close: async () => {
      await Promise.all([...listeners].map((listener) => listener.close()));
      await db.destroy();
    },
  };
}

async function openEmbedded(dataDir: string, log?: KyselyConfig["log"]): Promise<DbConnection> {
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
    const pglite = inMemory ? new PGlite({ extensions }) : new PGlite(path.resolve(dataDir), { extensions });
    await pglite.waitReady;
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), log });
    return {
      db,
      engineLabel: "embedded PGlite",
      features: { statementTimeout: false, liveStatistics: false, concurrentSessions: false },
      location: inMemory ? "in memory" : path.resolve(dataDir),
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
