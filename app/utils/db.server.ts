import { data } from "@remix-run/node";
import { type DbConnection, openDatabase, optionsFromEnv } from "#db/client";
import { connectionErrorCode, schemaMissing } from "#db/pg-errors";
import { columnsOf20250108Present } from "#db/queries/rolled-back-20250108";
import { DataDirectoryLockedError } from "#db/pglite-lock";

// The one database connection of this server process. Opened on first use and kept on
// globalThis so a rebuild in development does not open a second one (a second PGlite opener
// would be refused by the lock anyway).

declare global {
  var __symbolDeskDb: Promise<DbConnection> | undefined;
}

const UNAVAILABLE = "The database is not reachable right now. Try again in a moment.";

export interface UnavailableBody {
  message: string;
}

/** A 503 that the error boundary shows as a friendly page; details go to the server log only. */
export function databaseUnavailable(error: unknown): ReturnType<typeof data<UnavailableBody>> {
  logDatabaseUnavailable("[db]", connectionErrorCode(error) ?? "open", error);
  const message =
    error instanceof DataDirectoryLockedError
      ? "The embedded database is in use by another Symbol Desk process. Stop that process, then reload this page."
      : UNAVAILABLE;
  return data({ message }, { status: 503 });
}

// While the database restarts or the schema is rolled back, every request fails alike: one log
// line per cause every 10 s, with a count of the ones left out.
const UNAVAILABLE_LOG_EVERY_MS = 10_000;
const unavailableLog = new Map<string, { at: number; suppressed: number }>();

export function logDatabaseUnavailable(where: string, code: string, error: unknown): void {
  const key = `${where} ${code}`;
  const last = unavailableLog.get(key);
  const now = Date.now();
  if (last && now - last.at < UNAVAILABLE_LOG_EVERY_MS) {
    last.suppressed++;
    return;
  }
  const more = last?.suppressed ? ` (and ${last.suppressed} more like it since the last line)` : "";
  console.error(`${where} database unavailable (${code})${more}:`, error instanceof Error ? error.message : error);
  unavailableLog.set(key, { at: now, suppressed: 0 });
}

function open(): Promise<DbConnection> {
  const opening = openDatabase(optionsFromEnv());
  // A failed open is not cached: the next request tries again (say, once the lock is free).
  opening.catch(() => {
    if (globalThis.__symbolDeskDb === opening) globalThis.__symbolDeskDb = undefined;
  });
  return opening;
}

/**
 * Closes the process-wide connection, if one was opened: PGlite flushes its data directory and
 * releases its lock. The server calls it on shutdown once the requests in flight are answered.
 */
export async function closeDb(): Promise<void> {
  const conn = await globalThis.__symbolDeskDb?.catch(() => null);
  await conn?.close().catch((error: unknown) => console.error("[db] close failed:", error));
}

/** The connection getDb last gave, for the few answers that do not wait a turn for it. */
let opened: { from: Promise<DbConnection>; conn: DbConnection } | undefined;

/** The process-wide connection; throws a 503 response when the database cannot be opened. */
export async function getDb(): Promise<DbConnection> {
  globalThis.__symbolDeskDb ??= open();
  const from = globalThis.__symbolDeskDb;
  try {
    const conn = await from;
    if (opened?.from !== from) opened = { from, conn };
    return conn;
  } catch (error) {
    throw databaseUnavailable(error);
  }
}

/** The process-wide connection when getDb has given it already, else getDb's promise of it. */
export const currentDb = (): DbConnection | Promise<DbConnection> =>
  opened && opened.from === globalThis.__symbolDeskDb ? opened.conn : getDb();

/** Seconds a person (or a form post) should wait before trying a page that needs 20250108 again. */
const ROLLED_BACK_RETRY_AFTER_SECONDS = 30;

export const ROLLED_BACK_MESSAGE =
  "Migration 20250108 is rolled back, so this page (which reads or changes broadcast priorities, last " +
  "broadcasts, data providers or the default flag) is unavailable until it is re-applied on the Migrations " +
  "page; nothing was lost: the rollback saved every value. Still working: the public API (the defaults as the " +
  "rollback saved them, users' lists, search), users and their tokens, the audit log, data quality, " +
  "performance, migrations and the go/no-go board.";

/**
 * A 503 with Retry-After and a message that says what still works: a page or form post that needs
 * 20250108's columns while they are rolled back. Any other missing column is a real fault.
 */
async function rolledBackRefusal(conn: DbConnection, error: unknown) {
  if (schemaMissing(error) !== "column" || (await columnsOf20250108Present(conn.db).catch(() => true))) return null;
  return data(
    { message: ROLLED_BACK_MESSAGE },
    { status: 503, headers: { "Retry-After": String(ROLLED_BACK_RETRY_AFTER_SECONDS) } },
  );
}

/**
 * Runs `fn` with the database; an error from the database itself (connection refused, server
 * restarting) becomes the friendly 503 rather than a 500, as does a read or write of 20250108's
 * columns while it is rolled back. Responses thrown by `fn` pass through.
 */
export async function withDb<T>(fn: (conn: DbConnection) => Promise<T>): Promise<T> {
  const conn = await getDb();
  try {
    return await fn(conn);
  } catch (error) {
    if (connectionErrorCode(error) !== null) throw databaseUnavailable(error);
    throw (await rolledBackRefusal(conn, error)) ?? error;
  }
}
