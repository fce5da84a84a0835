import cluster from "node:cluster";
import { serverConfig } from "#db/config";

// The production server (console-instance.ts), in one process or, with SERVER_WORKERS above 1,
// in that many worker processes sharing the port (workers.ts).
//
//   node --import tsx app/server/serve.ts [build/index.js]      (npm run serve)

const settings = serverConfig();
if (cluster.isPrimary && settings.SERVER_WORKERS > 1) {
  const { superviseWorkers } = await import("./workers");
  superviseWorkers(settings);
} else {
  await import("./console-instance");
}
