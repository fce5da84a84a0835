import type { z } from "zod";
import type { ErrorCode } from "./errors.server";
import { FALLBACK_HEADER, FALLBACK_STATE } from "./rollback-fallback.server";
import {
  DefaultSymbolsResponse,
  Id,
  NewUserSymbolBody,
  SearchQuery,
  SearchResponse,
  UserSymbolChangeBody,
  UserSymbolOrderBody,
  UserSymbolPreference,
  UserSymbolsResponse,
} from "./schemas.server";

// What each endpoint takes and returns, as data, naming the same schema objects the routes use.
// The OpenAPI document and the staff docs page are both made from this table.

export type Auth = "public" | "user";

export interface Operation {
  id: string;
  method: "get" | "post" | "put" | "delete";
  path: string;
  summary: string;
  description: string;
  auth: Auth;
  pathParams: Record<string, { schema: z.ZodType; description: string }>;
  query?: z.ZodObject;
  body?: z.ZodType;
  success: { status: number; description: string; schema?: z.ZodType; headers?: Record<string, string> };
  errors: ErrorCode[];
}

const userId = { schema: Id, description: "The end user's id." };
const symbolId = { schema: Id, description: "The symbol's id." };
const USER_READ_ERRORS: ErrorCode[] = [
  "invalid_parameter",
  "unauthorized",
  "forbidden",
  "not_found",
  "rate_limited",
  "service_unavailable",
];
const USER_WRITE_ERRORS: ErrorCode[] = [
  "invalid_parameter",
  "malformed_json",
  "unauthorized",
  "forbidden",
  "not_found",
  "payload_too_large",
  "unsupported_media_type",
  "validation_failed",
  "rate_limited",
  "service_unavailable",
];

/** The header of answers served while 20250108 is rolled back (absent otherwise). */
const FALLBACK: Record<string, string> = {
  [FALLBACK_HEADER]:
    `Present only while migration 20250108 is rolled back: "${FALLBACK_STATE}; since=<ISO time>", the time the ` +
    "rollback saved the data-driven columns. The answer is then read without them (the defaults as saved by the " +
    "rollback, in their order), and writes that need them answer 503 with Retry-After.",
};

export const OPERATIONS: Operation[] = [
  {
    id: "listDefaultSymbols",
    method: "get",
    path: "/api/symbols/defaults",
    summary: "The default symbols",
    description:
      "What anonymous users see: the active default symbols in list order. Revalidate with If-None-Match: " +
      "the ETag is derived from the rows, so a change by staff shows as soon as the database has announced it, " +
      "within milliseconds (304 while unchanged).",
    auth: "public",
    pathParams: {},
    success: {
      status: 200,
      description: "The defaults. Answers 304 with no body when If-None-Match holds the current ETag.",
      schema: DefaultSymbolsResponse,
      headers: {
        ETag: "Strong validator of this list.",
        "Cache-Control": "public, no-cache: store, but revalidate every time.",
        ...FALLBACK,
      },
    },
    errors: ["service_unavailable"],
  },
  {
    id: "searchSymbols",
    method: "get",
    path: "/api/symbols/search",
    summary: "Search active symbols",
    description:
      "Active symbols whose ticker or display name contains q (three characters or more) or whose ticker " +
      "starts with q (one or two characters), optionally in one asset class and market. Exact ticker first.",
    auth: "public",
    pathParams: {},
    query: SearchQuery,
    success: { status: 200, description: "At most `limit` symbols.", schema: SearchResponse, headers: FALLBACK },
    errors: ["invalid_parameter", "service_unavailable"],
  },
  {
    id: "listUserSymbols",
    method: "get",
    path: "/api/users/{userId}/symbols",
    summary: "A user's symbols",
    description:
      "The user's visible symbols on active symbols, pinned first, then in their order; the defaults " +
      '(source "defaults") when they have none. The user\'s own token, or a staff session.',
    auth: "user",
    pathParams: { userId },
    success: { status: 200, description: "The user's list.", schema: UserSymbolsResponse, headers: FALLBACK },
    errors: USER_READ_ERRORS,
  },
  {
    id: "addUserSymbol",
    method: "post",
    path: "/api/users/{userId}/symbols",
    summary: "Add a symbol to a user's list",
    description:
      "Unknown or inactive symbol: 422. Already on the list (shown or hidden): 409. The user's own token only.",
    auth: "user",
    pathParams: { userId },
    body: NewUserSymbolBody,
    success: {
      status: 201,
      description: "Added.",
      schema: UserSymbolPreference,
      headers: { Location: "The symbol's address on the user's list." },
    },
    errors: [...USER_WRITE_ERRORS, "conflict"],
  },
  {
    id: "reorderUserSymbols",
    method: "put",
    path: "/api/users/{userId}/symbols/order",
    summary: "Reorder a user's whole list",
    description:
      "One request, one transaction: give every symbol the list shows, each once, in the new order. Hidden " +
      "symbols keep their relative order after them. Pinned symbols still come first.",
    auth: "user",
    pathParams: { userId },
    body: UserSymbolOrderBody,
    success: { status: 200, description: "The list in its new order.", schema: UserSymbolsResponse },
    errors: USER_WRITE_ERRORS,
  },
  {
    id: "updateUserSymbol",
    method: "put",
    path: "/api/users/{userId}/symbols/{symbolId}",
    summary: "Change a symbol's order, pin or visibility",
    description: "Not on the user's list: 404. The user's own token only.",
    auth: "user",
    pathParams: { userId, symbolId },
    body: UserSymbolChangeBody,
    success: { status: 200, description: "Changed.", schema: UserSymbolPreference },
    errors: USER_WRITE_ERRORS,
  },
  {
    id: "removeUserSymbol",
    method: "delete",
    path: "/api/users/{userId}/symbols/{symbolId}",
    summary: "Remove a symbol from a user's list",
    description: "Not on the user's list: 404. The user's own token only.",
    auth: "user",
    pathParams: { userId, symbolId },
    success: { status: 204, description: "Removed." },
    errors: USER_READ_ERRORS,
  },
];
