import http from "node:http";
import { openDatabase, optionsFromEnv } from "#db/client";
import { serverConfig } from "#db/config";
import { defaultInstanceId } from "#db/leadership";
import { attachBroadcastEndpoint, WS_PATH } from "./ws-endpoint";

// `npm run broadcaster`: the WebSocket broadcaster alone, for deployments that scale it apart
// from the console (which then runs with BROADCASTER_IN_PROCESS=false). PostgreSQL only: the
// embedded database belongs to the one process that opened it. Serves /ws/symbols and /healthz
// on BROADCASTER_PORT; the console's /broadcast page reads its figures from the database.

const settings = serverConfig();
if (!settings.DATABASE_URL) {
  console.error(
    "[broadcaster] DATABASE_URL is not set. Run alone, the broadcaster needs the PostgreSQL server; " +
      "on the embedded database it runs inside `npm start`.",
  );
  process.exit(2);
}

// As the console opens it: DATABASE_DIRECT_URL (when set) carries the session-level work (LISTEN,
// advisory locks), which a transaction pooler in DATABASE_URL would silently lose.
const conn = await openDatabase({ ...optionsFromEnv(), poolSize: Math.min(settings.DATABASE_POOL_SIZE, 4) });
let endpoint: Awaited<ReturnType<typeof attachBroadcastEndpoint>> | null = null;

const server = http.createServer((req, res) => {
  if (req.url === "/healthz" && endpoint) {
    const stats = endpoint.broadcaster.stats.snapshot(Date.now(), {
      paused: endpoint.broadcaster.isPaused,
      feed: "",
      clients: endpoint.hub.counts(),
    });
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ ok: true, ...stats }));
    return;
  }
  res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end(`Not found: connect to ${WS_PATH}`);
});

endpoint = await attachBroadcastEndpoint(server, async () => conn, settings, {
  instanceId: `broadcaster ${defaultInstanceId(settings.BROADCASTER_PORT)}`,
});
server.listen({ port: settings.BROADCASTER_PORT, host: settings.HOST, backlog: 4096 }, () =>
  console.log(
    `[broadcaster] ws://localhost:${settings.BROADCASTER_PORT}${WS_PATH}, every ${settings.BROADCAST_INTERVAL_MS} ms`,
  ),
);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void (async () => {
      server.close();
      await endpoint?.close().catch(() => undefined);
      await conn.close();
      process.exit(0);
    })();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
