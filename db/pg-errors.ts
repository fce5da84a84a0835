// What an error from the database means, by its SQLSTATE (or the driver's own code), for every
// caller that has to tell "the schema is behind", "the database is away" and a real failure
// apart: the API's error mapping, the console's panels and pages, and the checks' runner.

/** The error's SQLSTATE or driver code (ECONNREFUSED…), when it has one. */
export function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : null;
}

// 42703 undefined_column: almost always one of the columns 20250108 adds (rolled back, or not yet
// applied under the running code). 42P01 undefined_table, 42883 undefined_function: the
// migrations that make them have not run (or were rolled back).
const UNDEFINED_COLUMN = "42703";
const UNDEFINED_TABLE_OR_FUNCTION = new Set(["42P01", "42883"]);

export type SchemaMissing = "column" | "table-or-function";

/** Which part of the schema the error says is missing; null for any other error. */
export function schemaMissing(error: unknown): SchemaMissing | null {
  const code = errorCode(error);
  if (code === UNDEFINED_COLUMN) return "column";
  if (code !== null && UNDEFINED_TABLE_OR_FUNCTION.has(code)) return "table-or-function";
  return null;
}

export function isSchemaMissing(error: unknown): boolean {
  return schemaMissing(error) !== null;
}

// Connection refused or reset, 57P01–57P03 (admin shutdown, crash shutdown, cannot connect now),
// 53300 too many connections, and the whole 08 class (connection exceptions).
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P02", "57P03", "53300"]);

/** The code of an error that means the database is restarting or unreachable; null for any other. */
export function connectionErrorCode(error: unknown): string | null {
  const code = errorCode(error);
  if (code !== null && (CONNECTION_CODES.has(code) || code.startsWith("08"))) return code;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" && /timeout exceeded when trying to connect|Connection terminated/i.test(message)
    ? "connection"
    : null;
}

/**
 * The code of an error that a client should retry later rather than report: the schema is
 * behind the running code (mid-migration or rolled back), or the database is away.
 */
export function unavailableCode(error: unknown): string | null {
  return isSchemaMissing(error) ? errorCode(error) : connectionErrorCode(error);
}
