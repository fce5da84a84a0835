import cluster from "node:cluster";
import { serverConfig } from "#db/config";

// The production server (console-instance.ts), in one process or, with SERVER_WORKERS above 1,
// in that many worker processes sharing the port (workers.ts).
//
//   node --max-semi-space-size=32 --import tsx app/server/serve.ts [build/index.js]   (npm run serve)
//
// Semi-spaces (the two halves of V8's young generation) of up to 32 MB, not Node's default 16: a
// thousand busy connections allocate fast, and a scavenge costs what survives it, so half as many
// scavenges cost about half as much. Workers inherit the option. Measured on the defaults
// endpoint at 1000 connections and 10k symbols, five alternating runs against plain node:http
// sending the same body: 0.71× its throughput with 16 MB, 0.86× with 32, 0.83× with 64.

const settings = serverConfig();
if (cluster.isPrimary && settings.SERVER_WORKERS > 1) {
  const { superviseWorkers } = await import("./workers");
  superviseWorkers(settings);
} else {
  await import("./console-instance");
}
