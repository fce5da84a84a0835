import { PreferenceError } from "#db/repositories/user-preferences";

// The one error shape of the API, {"error":{"code","message","fields"}}, and the mapping of
// everything a handler can throw onto it. Nothing under /api answers with HTML or a stack trace:
// an unexpected error is logged here and the client gets a plain 500 body.

export const ERROR_CODES = {
  malformed_json: 400,
  invalid_parameter: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Seconds a client should wait while the schema is mid-migration or the database is away. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

/** Thrown by API helpers; turned into the JSON error response by `errorResponse`. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = ERROR_CODES[code];
  }
}

/** Headers every API response carries. */
export const API_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
};

export function errorJson(error: ApiError): Response {
  return Response.json(
    { error: { code: error.code, message: error.message, fields: error.fields } },
    { status: error.status, headers: { ...API_HEADERS, "Cache-Control": "no-store", ...error.headers } },
  );
}

const PREFERENCE_CODES = { not_found: "not_found", conflict: "conflict", invalid: "validation_failed" } as const;

// 42703 undefined_column, 42P01 undefined_table: the schema is rolled back (or mid-migration)
// under the running code. Connection-class errors: the database is restarting or unreachable.
const SCHEMA_MISSING_CODES = new Set(["42703", "42P01"]);
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P02", "57P03", "53300"]);

function databaseUnavailableCode(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (SCHEMA_MISSING_CODES.has(code) || CONNECTION_CODES.has(code) || code.startsWith("08"))) {
    return code;
  }
  if (typeof message === "string" && /timeout exceeded when trying to connect|Connection terminated/i.test(message)) {
    return "connection";
  }
  return null;
}

/** A status the app's own db helpers threw (`data(…, { status: 503 })` from getDb). */
function thrownStatus(error: unknown): number | null {
  if (error instanceof Response) return error.status;
  const init = (error as { init?: { status?: unknown } | null } | null)?.init;
  return typeof init?.status === "number" ? init.status : null;
}

export function serviceUnavailable(): ApiError {
  return new ApiError(
    "service_unavailable",
    "The symbol API is briefly unavailable (database maintenance). Try again shortly.",
    {},
    { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
  );
}

/** While the schema is rolled back every request fails alike: one line per cause every 10 s, with a count. */
const UNAVAILABLE_LOG_EVERY_MS = 10_000;
const unavailableLog = new Map<string, { at: number; suppressed: number }>();

function logUnavailable(code: string, what: string, error: unknown): void {
  const last = unavailableLog.get(code);
  const now = Date.now();
  if (last && now - last.at < UNAVAILABLE_LOG_EVERY_MS) {
    last.suppressed++;
    return;
  }
  const more = last?.suppressed ? ` (and ${last.suppressed} more like it since the last line)` : "";
  console.error(`[api] ${what}: database unavailable (${code})${more}:`, error instanceof Error ? error.message : error);
  unavailableLog.set(code, { at: now, suppressed: 0 });
}

/** Maps anything thrown inside an API handler to the JSON error response. */
export function errorResponse(error: unknown, request: Request): Response {
  if (error instanceof ApiError) return errorJson(error);
  if (error instanceof PreferenceError) return errorJson(new ApiError(PREFERENCE_CODES[error.kind], error.message, error.fields));
  const dbCode = databaseUnavailableCode(error);
  if (dbCode !== null) {
    logUnavailable(dbCode, `${request.method} ${new URL(request.url).pathname}`, error);
    return errorJson(serviceUnavailable());
  }
  if (thrownStatus(error) === 503) return errorJson(serviceUnavailable());
  console.error(`[api] ${request.method} ${new URL(request.url).pathname} failed:`, error);
  return errorJson(new ApiError("internal_error", "Something went wrong on our side. It has been logged."));
}
