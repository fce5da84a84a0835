import { randomBytes } from "node:crypto";
import { after, before, describe } from "node:test";
import pg from "pg";
import { type DbConnection, openDatabase } from "../client.js";
import { bringTo, type StartingPoint, startingPoint } from "./pglite-starting-points.js";

// Every integration test runs on both engines: the embedded PGlite and the PostgreSQL server.
// Each test file (each `forEachEngine` block) gets a database of its own, dropped afterwards.

export type EngineName = "pglite" | "postgres";

export const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function enginesUnderTest(): EngineName[] {
  const wanted = (process.env.TEST_ENGINES ?? "pglite,postgres").split(",").map((s) => s.trim());
  return (["pglite", "postgres"] as const).filter((e) => wanted.includes(e));
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database on the server and returns its URL. */
export async function createServerDatabase(prefix = "sd_test"): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

function throughPort(url: string, port: string): string {
  const parsed = new URL(url);
  parsed.port = port;
  return parsed.toString();
}

export interface TestDatabase extends DbConnection {
  engine: EngineName;
  /** The server URL (postgres engine only), for tests that open a second connection. */
  url?: string;
}

/** A database of its own for a test: empty, migrated, or migrated and loaded with the default data. */
export async function freshDatabase(engine: EngineName, point: StartingPoint = "empty"): Promise<TestDatabase> {
  if (engine === "pglite") {
    const conn = await openDatabase({ dataDir: ":memory:", startFrom: await startingPoint(point) });
    return { ...conn, engine };
  }
  const created = await createServerDatabase();
  // `npm run test:integration:pooler`: every query through PgBouncer, session work direct.
  const pooler = process.env.TEST_POOLER_PORT;
  const conn = await openDatabase(
    pooler
      ? { databaseUrl: throughPort(created.url, pooler), databaseDirectUrl: created.url, poolSize: 4 }
      : { databaseUrl: created.url, poolSize: 4 },
  );
  await bringTo(conn.db, point);
  return {
    ...conn,
    engine,
    url: created.url,
    close: async () => {
      await conn.close();
      await created.drop();
    },
  };
}

export interface EngineContext {
  engine: EngineName;
  /** The database of this block; usable inside tests and hooks. */
  readonly conn: TestDatabase;
}

/**
 * Declares `body` once per engine, each with a fresh database: migrated to the latest version and
 * loaded with the default data unless told otherwise.
 */
export function forEachEngine(
  title: string,
  body: (ctx: EngineContext) => void,
  options: { migrate?: boolean; defaultData?: boolean } = {},
): void {
  for (const engine of enginesUnderTest()) {
    describe(`${title} [${engine}]`, () => {
      let conn: TestDatabase | undefined;
      before(async () => {
        const point = options.migrate === false ? "empty" : options.defaultData === false ? "migrated" : "default-data";
        conn = await freshDatabase(engine, point);
      });
      after(async () => {
        await conn?.close();
      });
      // A stand-in that forwards to the database once `before` has opened it, so a test body
      // may destructure `conn` when it is declared.
      const lazyConn = new Proxy({} as TestDatabase, {
        get(_target, property) {
          if (!conn) throw new Error("the test database is not open yet: use it inside a test or hook");
          return Reflect.get(conn, property);
        },
      });
      body({ engine, conn: lazyConn });
    });
  }
}
