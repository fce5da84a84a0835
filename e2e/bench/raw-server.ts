import http from "node:http";
import pg from "pg";
import { userSymbolsQuery } from "../../db/queries/user-symbols.js";
import { compiler } from "../../db/queries/compiled.js";

// The yardsticks for the HTTP benchmark: the least a server can do to answer the defaults query
// (any path) and the user query (GET /api/users/{id}/symbols, the very SQL the app sends, for the
// id in the path, without a token or any check), node:http and a pg pool of the same size as the
// app's, no framework, no cache, the rows sent as they come.

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
pool.on("error", () => {});
const DEFAULTS = `select id, ticker, display, current_price, price_change_24h from symbols
  where is_default_symbol = true and is_active = true order by display_order`;
const USER = "\u0000user";
const USER_SYMBOLS = userSymbolsQuery(compiler, USER).compile();
const userParameters = (userId: string) => USER_SYMBOLS.parameters.map((value) => (value === USER ? userId : value));
const USER_PATH = /^\/api\/users\/([^/]+)\/symbols$/;

http
  .createServer(async (request, response) => {
    try {
      const userId = USER_PATH.exec(request.url ?? "")?.[1];
      const { rows } = userId ? await pool.query(USER_SYMBOLS.sql, userParameters(userId)) : await pool.query(DEFAULTS);
      const body = JSON.stringify(userId ? { userId, symbols: rows } : { symbols: rows });
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      response.end(body);
    } catch {
      response.writeHead(503).end();
    }
  })
  .listen(Number(process.env.PORT), "127.0.0.1", () => console.log("raw server ready"));
