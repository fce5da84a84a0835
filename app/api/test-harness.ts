import type { DbConnection } from "#db/client";
import { createStaffSession, createStaffUser, type StaffRole } from "#db/repositories/staff";
import * as splat from "~/routes/api.$";
import * as openapi from "~/routes/api.openapi[.]json";
import * as defaults from "~/routes/api.symbols.defaults";
import * as search from "~/routes/api.symbols.search";
import * as userSymbols from "~/routes/api.users.$userId.symbols";
import * as userSymbol from "~/routes/api.users.$userId.symbols.$symbolId";
import * as userSymbolOrder from "~/routes/api.users.$userId.symbols.order";
import { commitNewSession } from "~/utils/session.server";

// Calls the API's route modules the way Remix does (loader for GET/HEAD, action otherwise), with
// the path's params, against a test database: no server or browser needed, both engines covered.
// Used by the API's tests only.

process.env.SESSION_SECRET ??= "api-test-secret";

type RouteModule = { loader: (args: never) => Promise<Response>; action: (args: never) => Promise<Response> };

// Most specific first, as Remix ranks them (static "order" before the dynamic symbolId).
const ROUTES: Array<[RegExp, string[], RouteModule]> = [
  [/^\/api\/symbols\/defaults$/, [], defaults],
  [/^\/api\/symbols\/search$/, [], search],
  [/^\/api\/openapi\.json$/, [], openapi],
  [/^\/api\/users\/([^/]+)\/symbols$/, ["userId"], userSymbols],
  [/^\/api\/users\/([^/]+)\/symbols\/order$/, ["userId"], userSymbolOrder],
  [/^\/api\/users\/([^/]+)\/symbols\/([^/]+)$/, ["userId", "symbolId"], userSymbol],
];

export const BASE = "http://desk.test";

/** Points the app's one database connection at this test's database. */
export function useTestDatabase(conn: DbConnection): void {
  globalThis.__symbolDeskDb = Promise.resolve(conn);
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** An object is sent as JSON (with its Content-Type unless headers say otherwise). */
  json?: unknown;
  body?: BodyInit;
}

export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const url = new URL(path, BASE);
  const headers = new Headers(options.headers);
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  const request = new Request(url, {
    method,
    headers,
    body,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  });
  for (const [pattern, names, module] of ROUTES) {
    const match = pattern.exec(url.pathname);
    if (!match) continue;
    const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    const handler = method === "GET" || method === "HEAD" ? module.loader : module.action;
    return handler({ request, params, context: {} } as never);
  }
  const handler = method === "GET" || method === "HEAD" ? splat.loader : splat.action;
  return handler({ request, params: { "*": url.pathname.slice(5) }, context: {} } as never);
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A staff member with a live session, as the Cookie header a browser would send. */
export async function staffCookie(conn: DbConnection, role: StaffRole, email: string): Promise<Record<string, string>> {
  const staff = await createStaffUser(conn.db, { email, displayName: email, role, password: "api-test-password" });
  const session = await createStaffSession(conn.db, staff.id, 60_000);
  const setCookie = await commitNewSession(new Request(BASE), session.id, new Date(Date.now() + 60_000));
  return { Cookie: setCookie.split(";")[0]! };
}

export interface ErrorBody {
  error: { code: string; message: string; fields: Record<string, string> };
}

/** The JSON error body, after checking the response is a JSON error with this status. */
export async function errorOf(response: Response, status: number): Promise<ErrorBody["error"]> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  if (!response.headers.get("Content-Type")?.startsWith("application/json")) throw new Error(`not JSON: ${text}`);
  return (JSON.parse(text) as ErrorBody).error;
}
