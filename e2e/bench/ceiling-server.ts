import http from "node:http";

// The ceiling for the defaults endpoint: plain node:http sending the very body the app sends,
// read once from the app (BODY_URL) and kept in memory. No database, no headers beyond the type
// and length: what answering from memory costs with nothing else in the way.

const source = await fetch(process.env.BODY_URL!);
if (!source.ok) throw new Error(`${process.env.BODY_URL} answered ${source.status}`);
const body = Buffer.from(await source.arrayBuffer());
const headers = { "content-type": "application/json; charset=utf-8", "content-length": body.length };

http
  .createServer((_request, response) => {
    response.writeHead(200, headers);
    response.end(body);
  })
  .listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ceiling server ready"));
