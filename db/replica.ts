import { Kysely, type KyselyConfig, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

// A streaming replica for reads that may be a few seconds old (the public API's, the heavy
// panels'). Its lag is measured once a second; reads go to the primary instead while the replica
// is down, lags more than the allowed seconds, or the caller wrote something it must read back.

export type ReplicaState = "off" | "starting" | "healthy" | "lagging" | "down";

export interface ReplicaStatus {
  state: ReplicaState;
  /** Seconds of replay behind the primary at the last measurement; null when unknown. */
  lagSeconds: number | null;
  maxLagSeconds: number;
  checkedAt: Date | null;
  /** Why it is down, or a remark (say, the URL leads to a server that is not a standby). */
  note: string | null;
  /** Reads answered by the replica and by the primary instead, since start-up. */
  reads: { replica: number; primary: number };
}

export interface Replica {
  db: Kysely<Database>;
  status(): ReplicaStatus;
  /** The replica may answer now. */
  usable(): boolean;
  /** A read on the replica failed as a connection does: stop using it until the next measurement. */
  failed(error: unknown): void;
  counted(on: "replica" | "primary"): void;
  close(): Promise<void>;
}

const MEASURE_EVERY_MS = 1_000;

export function openReplica(
  url: string,
  options: { poolSize: number; maxLagSeconds: number; log?: KyselyConfig["log"] },
): Replica {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    // A replica that does not answer quickly is skipped, not waited for.
    connectionTimeoutMillis: 1_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on("error", (error) => console.error(`[db] replica connection lost: ${error.message}`));
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: options.log });
  const status: ReplicaStatus = {
    state: "starting",
    lagSeconds: null,
    maxLagSeconds: options.maxLagSeconds,
    checkedAt: null,
    note: null,
    reads: { replica: 0, primary: 0 },
  };
  let closed = false;

  const measure = async () => {
    try {
      // Nothing received but not yet replayed means caught up, however long ago the last write was.
      const { rows } = await sql<{ standby: boolean; lag: number }>`
        select pg_is_in_recovery() as standby,
          case when not pg_is_in_recovery() or pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
            else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0) end::float8 as lag`.execute(
        db,
      );
      const { standby, lag } = rows[0]!;
      status.lagSeconds = Math.round(lag * 1000) / 1000;
      status.state = lag > options.maxLagSeconds ? "lagging" : "healthy";
      status.note = standby ? null : "this server is not a standby (pg_is_in_recovery() is false)";
    } catch (error) {
      status.state = "down";
      status.lagSeconds = null;
      status.note = error instanceof Error ? error.message : String(error);
    }
    status.checkedAt = new Date();
  };

  let timer: NodeJS.Timeout | null = null;
  const loop = async () => {
    await measure();
    if (!closed) timer = setTimeout(() => void loop(), MEASURE_EVERY_MS).unref();
  };
  void loop();

  return {
    db,
    status: () => ({ ...status, reads: { ...status.reads } }),
    usable: () => status.state === "healthy",
    failed: (error) => {
      status.state = "down";
      status.note = error instanceof Error ? error.message : String(error);
    },
    counted: (on) => void status.reads[on]++,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await db.destroy();
    },
  };
}

const REPLICA_FAILURE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P02", "57P03", "53300"]);

/**
 * An error after which the same read is worth asking the primary: the replica is unreachable or
 * restarting, or it cancelled the query for a conflict with recovery (40001 on a standby).
 */
export function isReplicaFailure(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (REPLICA_FAILURE_CODES.has(code) || code.startsWith("08") || code === "40001"))
    return true;
  return typeof message === "string" && /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}
