import { searchSymbols } from "#db/queries/symbol-search";
import { identify, principalHeaders } from "~/api/auth.server";
import { endpoint, json } from "~/api/endpoint.server";
import { parseQuery } from "~/api/input.server";
import { rollbackStateHeaders } from "~/api/rollback-fallback.server";
import { SearchQuery } from "~/api/schemas.server";
import { searchJson } from "~/api/views.server";

// GET /api/symbols/search?q=&assetClass=&market=&limit=: public catalogue data, like the defaults.

export const loader = endpoint({
  GET: async ({ request, conn }) => {
    const query = parseQuery(request, SearchQuery);
    const principal = request.headers.has("Authorization")
      ? await identify(request, conn)
      : ({ kind: "anonymous" } as const);
    const [hits, fallback] = await Promise.all([
      conn.read(null, (db) => searchSymbols(db, query)),
      rollbackStateHeaders(conn),
    ]);
    const echo = { q: query.q, assetClass: query.assetClass ?? null, market: query.market ?? null, limit: query.limit };
    return json(searchJson(echo, hits), { headers: { ...principalHeaders(principal), ...fallback } });
  },
});

export const action = loader;
