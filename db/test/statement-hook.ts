import { setTimeout as delay } from "node:timers/promises";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  sql,
} from "kysely";
import type { DbConnection } from "../client.js";
import type { Database } from "../schema.js";

// The app's connection with a hook that runs before each statement sent outside a transaction and
// may hold it: a test stops a request between two of its statements and changes the schema
// meanwhile (say, a migration step), which reproduces a race at the exact moment it matters. No
// connection is held while the hook runs, so on the embedded engine (one connection) the other
// work gets through as well. With `inTransactions` it also runs inside a transaction, whose
// connection it then holds: on PostgreSQL only, where other sessions can work meanwhile.

export type BeforeStatement = (sql: string) => Promise<void>;

export function withStatementHook(
  conn: DbConnection,
  before: BeforeStatement,
  options: { inTransactions?: boolean } = {},
): DbConnection {
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new HookedDriver(conn.db, before, options.inTransactions ?? false),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  // Spelled out rather than spread: a test's `conn` is a forwarding proxy with no keys of its own.
  return {
    db,
    direct: conn.direct,
    engineLabel: conn.engineLabel,
    features: conn.features,
    location: conn.location,
    sessionUrl: conn.sessionUrl,
    topology: () => conn.topology(),
    listen: (channels, handlers) => conn.listen(channels, handlers),
    read: (_scope, work) => work(db),
    wrote: (scope) => conn.wrote(scope),
    // The test's own connection is closed by its owner.
    close: async () => {},
  };
}

/** Resolves once `work` has settled or some session of this database waits for a lock. */
export async function settledOrWaitingForALock(db: Kysely<Database>, work: Promise<unknown>): Promise<void> {
  let settled = false;
  void work.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    const { rows } = await sql<{ waiting: number }>`
      select count(*)::int as waiting from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    if (rows[0]!.waiting > 0) return;
    await delay(10);
  }
}

class HookedConnection implements DatabaseConnection {
  /** From a transaction's begin to its end, the one real connection it runs on. */
  private pinned: { db: Kysely<Database>; release: () => void } | null = null;

  constructor(
    private readonly real: Kysely<Database>,
    private readonly before: BeforeStatement,
    private readonly inTransactions: boolean,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.pinned) {
      if (this.inTransactions) await this.before(query.sql);
      return this.pinned.db.executeQuery<R>(query);
    }
    await this.before(query.sql);
    return this.real.executeQuery<R>(query);
  }

  streamQuery(): AsyncIterableIterator<never> {
    throw new Error("streamed reads are not hooked");
  }

  async begin(): Promise<void> {
    await new Promise<void>((pinned, failed) => {
      this.real
        .connection()
        .execute(
          (db) =>
            new Promise<void>((release) => {
              this.pinned = { db, release };
              pinned();
            }),
        )
        .catch(failed);
    });
    await this.pinned!.db.executeQuery(CompiledQuery.raw("begin"));
  }

  async end(statement: "commit" | "rollback"): Promise<void> {
    const pinned = this.pinned!;
    this.pinned = null;
    try {
      await pinned.db.executeQuery(CompiledQuery.raw(statement));
    } finally {
      pinned.release();
    }
  }
}

class HookedDriver implements Driver {
  constructor(
    private readonly real: Kysely<Database>,
    private readonly before: BeforeStatement,
    private readonly inTransactions: boolean,
  ) {}

  async init(): Promise<void> {}
  async acquireConnection(): Promise<HookedConnection> {
    return new HookedConnection(this.real, this.before, this.inTransactions);
  }
  beginTransaction(connection: HookedConnection): Promise<void> {
    return connection.begin();
  }
  commitTransaction(connection: HookedConnection): Promise<void> {
    return connection.end("commit");
  }
  rollbackTransaction(connection: HookedConnection): Promise<void> {
    return connection.end("rollback");
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}
