import { PreferenceError } from "#db/repositories/user-preferences";
import { unavailableCode } from "#db/pg-errors";
import { logDatabaseUnavailable } from "~/utils/db.server";

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

/** The path of a request's URL, or of the target a direct answer was sent (a path alone). */
const pathOf = (url: string): string => new URL(url, "http://localhost").pathname;

/** Maps anything thrown inside an API handler to the JSON error response; `request` names it in the log. */
export function errorResponse(error: unknown, request: { method: string; url: string }): Response {
  if (error instanceof ApiError) return errorJson(error);
  if (error instanceof PreferenceError)
    return errorJson(new ApiError(PREFERENCE_CODES[error.kind], error.message, error.fields));
  // The schema is rolled back (or mid-migration) under the running code, or the database is away.
  const dbCode = unavailableCode(error);
  if (dbCode !== null) {
    logDatabaseUnavailable(`[api] ${request.method} ${pathOf(request.url)}:`, dbCode, error);
    return errorJson(serviceUnavailable());
  }
  if (thrownStatus(error) === 503) return errorJson(serviceUnavailable());
  console.error(`[api] ${request.method} ${pathOf(request.url)} failed:`, error);
  return errorJson(new ApiError("internal_error", "Something went wrong on our side. It has been logged."));
}
