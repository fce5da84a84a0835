import { addUserSymbol, dashboardFor } from "#db/repositories/user-preferences";
import { authorizeUser, identify, principalHeaders } from "~/api/auth.server";
import { endpoint, json } from "~/api/endpoint.server";
import { pathId, readJsonBody } from "~/api/input.server";
import { fallbackHeaders } from "~/api/rollback-fallback.server";
import { NewUserSymbolBody } from "~/api/schemas.server";
import { preferenceJson, userSymbolsJson } from "~/api/views.server";

// GET  /api/users/{userId}/symbols: the user's list (the seed's user query), or the defaults.
// POST /api/users/{userId}/symbols: add a symbol to it.

export const loader = endpoint({
  GET: async ({ request, params, conn }) => {
    const userId = pathId(params, "userId");
    const principal = await identify(request, conn);
    await authorizeUser(principal, conn, userId, "read");
    const dashboard = await conn.read(`user:${userId}`, (db) => dashboardFor(db, userId));
    return json(userSymbolsJson(userId, dashboard), {
      headers: { ...principalHeaders(principal), ...fallbackHeaders(dashboard.rolledBack) },
    });
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
