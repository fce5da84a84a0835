import type http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { DbConnection } from "#db/client";
import type { Config } from "#db/config";
import type { PriceFeedAdapter } from "#db/broadcast/feed";
import { providerStates } from "#db/broadcast/control";
import { Broadcaster } from "#db/broadcast/service";
import { SimulatedFeed } from "#db/broadcast/simulated-feed";
import { defaultInstanceId, type Leadership, startLeadership } from "#db/leadership";
import { BroadcastHub } from "./ws-hub";

// /ws/symbols on a node:http server: the upgrade, the origin check, and the broadcaster that
// feeds the hub. Used by the console's server (app/server/console-instance.ts) and by `npm run broadcaster`.

export const WS_PATH = "/ws/symbols";
/** Frames above this are refused by ws itself (close 1009); smaller ones over the limit get an error message. */
const HARD_PAYLOAD_FLOOR = 65_536;

export type BroadcastSettings = Pick<
  Config,
  | "BROADCAST_INTERVAL_MS"
  | "BROADCAST_FEED_SEED"
  | "BROADCAST_HEARTBEAT_MS"
  | "BROADCAST_SEND_BUFFER_BYTES"
  | "BROADCAST_MAX_MESSAGE_BYTES"
  | "BROADCAST_MESSAGES_PER_SECOND"
  | "BROADCAST_MAX_SUBSCRIPTIONS"
  | "BROADCAST_ALLOWED_ORIGINS"
>;

export interface BroadcastEndpoint {
  broadcaster: Broadcaster;
  hub: BroadcastHub;
  /** The lead of the broadcast cycles among every broadcaster on the database. */
  leadership: Leadership;
  close(): Promise<void>;
}

/**
 * A browser always sends Origin; a page may only connect from the server's own origin or one
 * listed in BROADCAST_ALLOWED_ORIGINS. Clients that are not browsers send none and are let in:
 * Origin protects a signed-in browser from other sites' pages, which is not a risk they carry.
 */
export function originAllowed(req: http.IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function attachBroadcastEndpoint(
  server: http.Server,
  conn: () => Promise<DbConnection>,
  settings: BroadcastSettings,
  options: { feed?: PriceFeedAdapter; autoStart?: boolean; instanceId?: string } = {},
): Promise<BroadcastEndpoint> {
  const connection = await conn();
  const { db } = connection;
  const hub = new BroadcastHub(conn, {
    sendBufferBytes: settings.BROADCAST_SEND_BUFFER_BYTES,
    heartbeatMs: settings.BROADCAST_HEARTBEAT_MS,
    maxMessageBytes: settings.BROADCAST_MAX_MESSAGE_BYTES,
    messagesPerSecond: settings.BROADCAST_MESSAGES_PER_SECOND,
    maxSubscriptions: settings.BROADCAST_MAX_SUBSCRIPTIONS,
  });
  const feed =
    options.feed ??
    new SimulatedFeed({
      seed: settings.BROADCAST_FEED_SEED,
      stepMs: settings.BROADCAST_INTERVAL_MS,
      states: await providerStates(db),
    });
  const instanceId = options.instanceId ?? `broadcaster ${defaultInstanceId()}`;
  // Asked before the first cycle, so a lone broadcaster stamps from its first cycle on.
  const leadership = startLeadership(connection, instanceId, "broadcast");
  await leadership.ready;
  const broadcaster = new Broadcaster(db, feed, hub, {
    intervalMs: settings.BROADCAST_INTERVAL_MS,
    leads: () => leadership.isLeader(),
  });
  hub.broadcaster = broadcaster;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: Math.max(HARD_PAYLOAD_FLOOR, settings.BROADCAST_MAX_MESSAGE_BYTES * 16),
    // Ticks are small and sent to many clients: compressing each copy would cost more than it saves.
    perMessageDeflate: false,
  });

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== WS_PATH) return refuse(socket, 404, "Not Found");
    if (!originAllowed(req, settings.BROADCAST_ALLOWED_ORIGINS)) return refuse(socket, 403, "Forbidden");
    wss.handleUpgrade(req, socket, head, (ws) => {
      hub.accept(ws, socket).catch((error: unknown) => {
        console.error("[ws] connection failed:", error);
        ws.close(1011, "unavailable");
      });
    });
  };
  server.on("upgrade", onUpgrade);
  hub.start();
  if (options.autoStart !== false) await broadcaster.start();

  return {
    broadcaster,
    hub,
    leadership,
    close: async () => {
      server.off("upgrade", onUpgrade);
      hub.stop();
      await broadcaster.stop();
      await leadership.close();
      wss.close();
    },
  };
}
