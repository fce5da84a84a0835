import http from "node:http";

// The ceiling for the defaults endpoint: plain node:http sending the very body the app sends,
// read once from the app (BODY_URL) and kept in memory. No database, no headers beyond the type
// and length: what answering from memory costs with nothing else in the way.

/** The app's body; asked again while the app is still starting (it answers 503 until its checks ran). */
async function appBody(url: string, deadline = Date.now() + 120_000): Promise<Buffer> {
  for (;;) {
    const source = await fetch(url);
    if (source.ok) return Buffer.from(await source.arrayBuffer());
    if (Date.now() > deadline) throw new Error(`${url} answered ${source.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const body = await appBody(process.env.BODY_URL!);
const headers = { "content-type": "application/json; charset=utf-8", "content-length": body.length };

http
  .createServer((_request, response) => {
    response.writeHead(200, headers);
    response.end(body);
  })
  .listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ceiling server ready"));
