import { reorderUserSymbols } from "#db/repositories/user-preferences";
import { authorizeUser, identify, principalHeaders } from "~/api/auth.server";
import { endpoint, json } from "~/api/endpoint.server";
import { pathId, readJsonBody } from "~/api/input.server";
import { UserSymbolOrderBody } from "~/api/schemas.server";
import { userSymbolsJson } from "~/api/views.server";

// PUT /api/users/{userId}/symbols/order: the whole list in its new order, in one transaction
// (a drag-and-drop that moved several symbols is one request, never a half-applied order).

export const loader = endpoint({
  PUT: async ({ request, params, conn }) => {
    const userId = pathId(params, "userId");
    const principal = await identify(request, conn);
    await authorizeUser(principal, conn, userId, "write");
    const { symbolIds } = await readJsonBody(request, UserSymbolOrderBody);
    const ids = symbolIds.map((id) => id.toLowerCase());
    return json(userSymbolsJson(userId, await reorderUserSymbols(conn.db, userId, ids)), {
      headers: principalHeaders(principal),
    });
  },
});

export const action = loader;
