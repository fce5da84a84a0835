import path from "node:path";
import { createRequestHandler, installGlobals, logDevReady, type ServerBuild } from "@remix-run/node";
import { serverConfig } from "#db/config";
import { startCheckSchedule } from "../utils/check-schedule.server";
import { startPageSnapshots, warmPageSnapshots } from "../utils/page-snapshots.server";
import { ensureBannerEvaluation, getRollbackTriggers } from "../utils/readiness.server";
import { createApiRoutes } from "./api-routes";
import { createConsoleServer } from "./console-server";
import { importBuild, reloadOnRebuild } from "./dev-reload";
import { createStaticHandler } from "./static-files";
import { startInstanceOrExit } from "../utils/instance.server";
import { announceSetupCode } from "../utils/setup-code.server";
import { closeDb } from "../utils/db.server";
import { stopBackgroundWork } from "../utils/background-work.server";
import { startInProcessBroadcaster } from "./ws-in-process";
import { hostCommandLine } from "./command-line-host";
import { speaksForTheServer } from "./workers";

// One console server: node:http, the static files from memory, the API's resource routes
// called directly (api-routes.ts), everything else through Remix. Nothing else sits on the
// request path (no framework router, no per-request stat of public/, no access log line per
// request), which is most of the cost of a small API answer. An answer kept in memory (the
// defaults) is written from the socket before all of that (console-server.ts `direct`). Limits,
// headers and checks are in console-server.ts. Started by serve.ts, alone or as one of its workers.
//
// PORT (3000), HOST (all interfaces), MAX_REQUESTS_IN_PROGRESS (64), MAX_REQUESTS_PER_CLIENT (8),
// TRUST_PROXY, PUBLIC_URL. Requests that fail with a 5xx or take longer than a second are logged.

const settings = serverConfig();
const SLOW_MS = 1_000;

const buildPath = path.resolve(process.argv[2] ?? path.join(settings.SYMBOL_DESK_BUILD_DIR, "index.js"));
let build = await importBuild(buildPath);
installGlobals({ nativeFetch: true });
let { handleRequest, api, serveStatic } = serveBuild(build);

function serveBuild(build: ServerBuild) {
  return {
    handleRequest: createRequestHandler(build, settings.NODE_ENV),
    api: createApiRoutes(build),
    serveStatic: createStaticHandler([
      // Fingerprinted bundles: cached for a year, never revalidated.
      {
        dir: path.resolve(build.assetsBuildDirectory),
        urlPrefix: build.publicPath,
        cacheControl: "public, max-age=31536000, immutable",
      },
      { dir: path.resolve("public"), urlPrefix: "/", cacheControl: "public, max-age=3600" },
    ]),
  };
}

const server = createConsoleServer({
  // Through the bindings, so that a rebuild loaded in development takes effect.
  isApi: (url) => api.matches(url),
  direct: (target, req, res, https, limited) => api.direct(target, req, res, https, limited),
  serveStatic: (req, res) => serveStatic(req, res),
  handle: async (request, context, isApi) =>
    (isApi ? await api.handle(request, context) : null) ?? (await handleRequest(request, { ...context })),
  // Enough to keep the CPU and the pool busy while requests wait on the database.
  maxInProgress: settings.MAX_REQUESTS_IN_PROGRESS,
  maxPerClient: settings.MAX_REQUESTS_PER_CLIENT,
  trustProxy: settings.TRUST_PROXY,
  publicUrl: settings.PUBLIC_URL,
  sessionCookies: ["__symbol_desk", "__Host-symbol_desk"],
  onAnswered: (req, res, ms) => {
    if (res.statusCode >= 500 || ms > SLOW_MS)
      console.log(`[server] ${req.method} ${req.url} ${res.statusCode} ${Math.round(ms)} ms`);
  },
});

// Stop taking connections and starting background work, let the requests, the background ticks
// and the broadcaster's cycle in flight finish (for at most 10 s; a kept-alive connection ends
// with the answer it has in flight, drain.ts), then close the database and exit. Closed any
// earlier, the database would fail the requests still in flight: a restart or a deploy would cost
// their clients a 503, a snapshot refresh would log a failure, and the broadcaster would leave its
// providers marked connected. A second signal changes nothing (a worker gets the terminal's SIGINT
// and its primary's SIGTERM) and, since this listener stays, does not kill the process mid-drain.
const SHUTDOWN_GRACE_MS = 10_000;
let stopping = false;
let stopBroadcaster: (() => Promise<void>) | null = null;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // Before it listens there is nothing to drain, and a start-up step may be waiting on the
  // database (a fresh install's snapshots, behind a lock): it ends at once. Without this, the
  // handlers the start-up installs (the leadership's) kept the signal from ending the process.
  if (!server.listening) process.exit(0);
  const drained = server.drain();
  const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
  void Promise.race([Promise.all([drained, stopBackgroundWork(), stopBroadcaster?.()]), grace])
    .then(closeDb)
    .finally(() => process.exit(0));
};
// Listened for from the start: a signal during the start-up ends it too.
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, stop);

const port = settings.PORT;
// Several instances or a pooler without a shared SESSION_SECRET stop here, before taking requests.
await startInstanceOrExit();
// `npm run db -- …` beside this server on the embedded engine: ready before the first request.
await hostCommandLine(settings);
// First run: the code /setup asks for, printed here and nowhere else (by one worker of several).
if (speaksForTheServer()) {
  await announceSetupCode().catch((error: unknown) =>
    console.error("[setup] No setup code could be made (is the database migrated?):", error),
  );
}
// A fresh install's first pages would otherwise wait for the stored page snapshots and the
// rollback banner's first evaluation (seconds at 100k symbols): both are ready before the first
// request. Where they are stored already (any restart), this costs a few primary-key reads.
await Promise.all([warmPageSnapshots(), getRollbackTriggers()]);
// A deep accept queue: when a thousand clients connect at once, Node's default of 511 overflows
// and the kernel drops SYNs, which clients only retry after one second, then three, then seven.
server.listen({ port, host: settings.HOST, backlog: 4096 }, () => {
  console.log(`[server] Symbol Desk on http://localhost:${port}`);
  if (settings.NODE_ENV === "development") logDevReady(build);
});
startCheckSchedule();
// The stored page snapshots and the rollback banner are kept fresh from here on, not from a page.
startPageSnapshots();
ensureBannerEvaluation();

if (settings.NODE_ENV === "development") {
  reloadOnRebuild(buildPath, (next) => {
    build = next;
    ({ handleRequest, api, serveStatic } = serveBuild(next));
    logDevReady(next);
  });
}
// WebSocket upgrades of /ws/symbols (app/server/ws-endpoint.ts).
if (!stopping) stopBroadcaster = await startInProcessBroadcaster(server, settings);
