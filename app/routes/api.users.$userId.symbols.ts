import type { DbConnection } from "#db/client";
import { addUserSymbol, dashboardFor } from "#db/repositories/user-preferences";
import { authorizeUser, identify, identifyToken, type Principal, principalHeaders } from "~/api/auth.server";
import { type DirectJson, sendJsonDirect, soleAuthorization } from "~/api/direct.server";
import { endpoint, json } from "~/api/endpoint.server";
import { pathId, readJsonBody } from "~/api/input.server";
import { fallbackHeaders } from "~/api/rollback-fallback.server";
import { NewUserSymbolBody } from "~/api/schemas.server";
import { preferenceJson, userSymbolsJson } from "~/api/views.server";
import type { DirectRouteAnswer } from "~/server/api-routes";

// GET  /api/users/{userId}/symbols: the user's list (the seed's user query), or the defaults.
// POST /api/users/{userId}/symbols: add a symbol to it.

/** The GET's answer once the path is read and the caller identified. */
async function userSymbols(principal: Principal, conn: DbConnection, userId: string): Promise<DirectJson> {
  await authorizeUser(principal, conn, userId, "read");
  const dashboard = await conn.read(`user:${userId}`, (db) => dashboardFor(db, userId));
  return {
    body: userSymbolsJson(userId, dashboard),
    headers: { ...principalHeaders(principal), ...fallbackHeaders(dashboard.rolledBack) },
  };
}

export const loader = endpoint({
  GET: async ({ request, params, conn }) => {
    const userId = pathId(params, "userId");
    const { body, headers } = await userSymbols(await identify(request, conn), conn, userId);
    return json(body, { headers });
  },
  POST: async ({ request, params, conn }) => {
    const userId = pathId(params, "userId");
    const principal = await identify(request, conn);
    await authorizeUser(principal, conn, userId, "write");
    const body = await readJsonBody(request, NewUserSymbolBody);
    const added = await addUserSymbol(conn.db, userId, body);
    return json(preferenceJson(added), {
      status: 201,
      headers: { ...principalHeaders(principal), Location: `/api/users/${userId}/symbols/${added.symbolId}` },
    });
  },
});

export const action = loader;

/**
 * A GET with a token, the API's busiest call, answered from the socket (app/api/direct.server.ts)
 * with the loader's checks in the loader's order. A staff session or no credentials at all: as usual.
 */
export const direct: DirectRouteAnswer = (req, res, https, params, limited) => {
  const authorization = soleAuthorization(req);
  if (authorization === undefined) return null;
  return limited(() =>
    sendJsonDirect(req, res, https, async (conn) => {
      const userId = pathId(params, "userId");
      return userSymbols(await identifyToken(authorization, conn), conn, userId);
    }),
  );
};
