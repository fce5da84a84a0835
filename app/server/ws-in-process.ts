import type http from "node:http";
import type { Config } from "#db/config";
import { defaultInstanceId } from "#db/leadership";
import { getDb } from "~/utils/db.server";
import { registerBroadcastLeadership } from "~/utils/instance.server";
import { attachBroadcastEndpoint } from "./ws-endpoint";

// The broadcaster inside the console's server (BROADCASTER_IN_PROCESS, the default): /ws/symbols
// on the same port. With BROADCASTER_IN_PROCESS=false the console serves no WebSocket and
// `npm run broadcaster` runs it apart (app/server/broadcaster-main.ts).

/**
 * Starts the broadcaster on `server`; returns its stop (its cycle in flight and its last writes
 * end before it resolves), for the server to await before it closes the database. Null when it
 * does not run here.
 */
export async function startInProcessBroadcaster(
  server: http.Server,
  settings: Config,
): Promise<(() => Promise<void>) | null> {
  if (settings.BROADCASTER_IN_PROCESS !== "true") return null;
  try {
    const endpoint = await attachBroadcastEndpoint(server, getDb, settings, {
      instanceId: `broadcaster ${defaultInstanceId(settings.PORT)}`,
    });
    registerBroadcastLeadership(endpoint.leadership);
    console.log(`[broadcaster] broadcasting every ${settings.BROADCAST_INTERVAL_MS} ms on /ws/symbols`);
    return () => endpoint.close().catch((error: unknown) => console.error("[broadcaster] stop failed:", error));
  } catch (error) {
    // The console still serves; /broadcast and /readiness show that nothing broadcasts.
    console.error("[broadcaster] not started:", error instanceof Error ? error.message : error);
    return null;
  }
}
