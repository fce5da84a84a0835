import path from "node:path";
import { fileURLToPath } from "node:url";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import type { ServerBuild } from "@remix-run/node";
import type { DbConnection } from "#db/client";
import { createStaffSession, createStaffUser, type StaffRole } from "#db/repositories/staff";
import { createApiRoutes } from "~/server/api-routes";
import { commitNewSession } from "~/utils/session.server";
import remixConfig from "../../remix.config.js";

// Calls the API's routes the way the server does (app/server/api-routes.ts: the same matching,
// ranking and loader-or-action dispatch), with the route table Remix derives from app/routes, so
// a renamed or added route file is tested as it is served. No server or browser needed; both
// engines covered. Used by the tests of the API and of the console's resource routes.

const appDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The build's route table for the API's routes (modules loaded for those only). */
async function apiRouteTable(): Promise<ServerBuild["routes"]> {
  const manifest = flatRoutes(appDirectory, remixConfig.ignoredRouteFiles);
  const entries = await Promise.all(
    Object.values(manifest).map(async (route) => {
      const module = route.id.startsWith("routes/api") ? await import(path.join(appDirectory, route.file)) : {};
      return [route.id, { ...route, module }] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as ServerBuild["routes"];
}

/** The API as the server mounts it (its handler, and the answers it writes from memory). */
export const api = createApiRoutes({ routes: await apiRouteTable() });

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
  const response = await api.handle(request);
  if (!response) throw new Error(`No API route answers ${method} ${path}`);
  return response;
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
