import http from "node:http";

// The ceiling for the defaults endpoint: plain node:http sending the very body the app sends,
// read once from the app by the bench (servers.ts `startCeiling`) and kept in memory. No database,
// no headers beyond the type and length: what answering from memory costs with nothing else in
// the way.

const body = Buffer.from(process.env.BODY_BASE64!, "base64");
const headers = { "content-type": "application/json; charset=utf-8", "content-length": body.length };

http
  .createServer((_request, response) => {
    response.writeHead(200, headers);
    response.end(body);
  })
  .listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ceiling server ready"));
