import http from "node:http";
import pg from "pg";

// The yardstick for the HTTP benchmark: the least a server can do to answer the defaults query,
// node:http and a pg pool of the same size as the app's, no framework, no cache.

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
pool.on("error", () => {});
const DEFAULTS = `select id, ticker, display, current_price, price_change_24h from symbols
  where is_default_symbol = true and is_active = true order by display_order`;

http
  .createServer(async (_request, response) => {
    try {
      const { rows } = await pool.query(DEFAULTS);
      const body = JSON.stringify({ symbols: rows });
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      response.end(body);
    } catch {
      response.writeHead(503).end();
    }
  })
  .listen(Number(process.env.PORT), "127.0.0.1", () => console.log("raw server ready"));
