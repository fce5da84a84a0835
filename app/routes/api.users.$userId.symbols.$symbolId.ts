import { removeUserSymbol, updateUserSymbol } from "#db/repositories/user-preferences";
import { authorizeUser, identify, principalHeaders } from "~/api/auth.server";
import { endpoint, json } from "~/api/endpoint.server";
import { API_HEADERS } from "~/api/errors.server";
import { pathId, readJsonBody } from "~/api/input.server";
import { UserSymbolChangeBody } from "~/api/schemas.server";
import { preferenceJson } from "~/api/views.server";

// PUT    /api/users/{userId}/symbols/{symbolId}: change order, pin or visibility.
// DELETE /api/users/{userId}/symbols/{symbolId}: remove from the list (204).

export const loader = endpoint({
  PUT: async ({ request, params, conn }) => {
    const userId = pathId(params, "userId");
    const symbolId = pathId(params, "symbolId");
    const principal = await identify(request, conn);
    await authorizeUser(principal, conn, userId, "write");
    const change = await readJsonBody(request, UserSymbolChangeBody);
    const updated = await updateUserSymbol(conn.db, userId, symbolId, change);
    return json(preferenceJson(updated), { headers: principalHeaders(principal) });
  },
  DELETE: async ({ request, params, conn }) => {
    const userId = pathId(params, "userId");
    const symbolId = pathId(params, "symbolId");
    const principal = await identify(request, conn);
    await authorizeUser(principal, conn, userId, "write");
    await removeUserSymbol(conn.db, userId, symbolId);
    return new Response(null, { status: 204, headers: { ...API_HEADERS, ...principalHeaders(principal) } });
  },
});

export const action = loader;
