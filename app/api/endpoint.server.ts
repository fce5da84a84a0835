import type { LoaderFunctionArgs } from "@remix-run/node";
import type { DbConnection } from "#db/client";
import { getDb } from "~/utils/db.server";
import { API_HEADERS, ApiError, errorResponse } from "./errors.server";

// One wrapper for every API resource route: dispatch on the method (405 with Allow otherwise),
// hand the handler the database, and turn whatever it throws into the JSON error shape. A route
// exports the same function as its loader and its action.

type Method = "GET" | "POST" | "PUT" | "DELETE";
type Params = LoaderFunctionArgs["params"];

export interface EndpointContext {
  request: Request;
  params: Params;
  conn: DbConnection;
}

export type EndpointHandler = (ctx: EndpointContext) => Promise<Response>;

/** A JSON success response's headers besides its type: not cached unless the caller says otherwise. */
export const jsonHeaders = (headers: Record<string, string> = {}): Record<string, string> => ({
  ...API_HEADERS,
  "Cache-Control": "no-store",
  ...headers,
});

/** A JSON success response; not cached unless the caller says otherwise. */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: jsonHeaders(init.headers) });
}

/** `database: false` for endpoints that never touch it (the OpenAPI document stays up without one). */
export function endpoint(handlers: Partial<Record<Method, EndpointHandler>>, options: { database?: boolean } = {}) {
  const allowed = Object.keys(handlers).flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m]));
  return async ({ request, params }: { request: Request; params: Params }): Promise<Response> => {
    try {
      const method = request.method === "HEAD" ? "GET" : (request.method as Method);
      const handler = handlers[method];
      if (!handler) {
        throw new ApiError(
          "method_not_allowed",
          `${request.method} is not supported here; use ${allowed.join(", ")}.`,
          {},
          {
            Allow: allowed.join(", "),
          },
        );
      }
      const conn = options.database === false ? (null as unknown as DbConnection) : await getDb();
      const response = await handler({ request, params, conn });
      // A user's own write reads back from the primary for a while (replica read routing).
      if (method !== "GET" && conn && response.status < 400 && params.userId) await conn.wrote(`user:${params.userId}`);
      return response;
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}

/** The catch-all of /api: an unknown path is a JSON 404, whatever the method. */
export const unknownApiPath = async ({ request }: { request: Request }): Promise<Response> =>
  errorResponse(new ApiError("not_found", `There is no API endpoint at ${new URL(request.url).pathname}.`), request);
