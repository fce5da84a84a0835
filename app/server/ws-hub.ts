import { createHash } from "node:crypto";
import type { Duplex } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { WebSocket } from "ws";
import type { DbConnection } from "#db/client";
import type { Broadcaster, BroadcastSink, CycleTicks, DeliveryFigures } from "#db/broadcast/service";
import type { ClientCounts } from "#db/broadcast/stats";
import { defaultSymbolSet, type FollowedSymbol } from "#db/broadcast/subscriptions";
import { BroadcastClient, type ClientLimits } from "./ws-client";
import { textFrame } from "./ws-frame";
import { CLOSE_SILENT, type Snapshot } from "./ws-protocol";

// The clients of /ws/symbols and the fan-out of each cycle. Clients that follow exactly the same
// symbols (every anonymous client follows the defaults) form one group, whose message is
// serialised and framed once per cycle; the same frame is written to each member's socket. A
// client whose unsent bytes pass the bound is skipped that cycle; one skipped for
// SKIPS_BEFORE_DROP cycles in a row is disconnected, so one slow reader never holds memory for
// long or delays anyone else. The fan-out gives the event loop a turn every SEND_BATCH clients, so
// at 10k clients pongs, client messages and new connections are not held up behind it.

const SKIPS_BEFORE_DROP = 5;
const SEND_BATCH = 500;
const USERS_SHOWN = 20;

export interface HubOptions extends ClientLimits {
  sendBufferBytes: number;
  heartbeatMs: number;
}

interface Group {
  ids: Set<string>;
  clients: Set<BroadcastClient>;
}

export class BroadcastHub implements BroadcastSink {
  private readonly clients = new Set<BroadcastClient>();
  private readonly groups = new Map<string, Group>();
  private defaultSymbols: FollowedSymbol[] = [];
  private defaultsKey = "";
  private heartbeatTimer: NodeJS.Timeout | null = null;
  broadcaster: Broadcaster | null = null;

  constructor(
    private readonly conn: () => Promise<DbConnection>,
    private readonly options: HubOptions,
  ) {}

  start(): void {
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.options.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  stop(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const client of this.clients) client.socket.close(1001, "server shutting down");
  }

  /**
   * A new connection: it follows the defaults and gets their snapshot at once. `wire` is the
   * upgraded socket ws speaks over: the fan-out writes its prebuilt frames there.
   */
  async accept(socket: WebSocket, wire: Duplex): Promise<void> {
    if (this.defaultSymbols.length === 0) await this.refreshDefaults((await this.conn()).db);
    const client = new BroadcastClient(socket, wire, {
      conn: this.conn,
      limits: this.options,
      defaults: () => this.defaultSymbols,
      changed: (c) => this.regroup(c, true),
      heartbeat: () => this.heartbeatText(),
    });
    this.clients.add(client);
    this.broadcaster?.stats.connects.add(Date.now());
    socket.on("message", (data, isBinary) => client.receive(data as Buffer, isBinary));
    socket.on("pong", () => (client.alive = true));
    socket.on("error", () => socket.terminate());
    socket.on("close", () => {
      this.clients.delete(client);
      this.leaveGroup(client);
      this.broadcaster?.stats.disconnects.add(Date.now());
    });
    this.regroup(client, true);
  }

  async prepare(db: Parameters<BroadcastSink["prepare"]>[0]): Promise<void> {
    await this.refreshDefaults(db);
  }

  async deliver(cycle: CycleTicks): Promise<DeliveryFigures> {
    let messages = 0;
    let bytes = 0;
    let sinceTurn = 0;
    // Each group's frame first, so no client waits for another group's serialisation.
    const sends: Array<{ clients: BroadcastClient[]; frame: Buffer }> = [];
    for (const group of this.groups.values()) {
      const ticks = cycle.ticks.filter((tick) => group.ids.has(tick.id));
      if (ticks.length === 0) continue;
      const text = JSON.stringify({ type: "ticks", cycle: cycle.cycle, cycleStartedAt: cycle.startedAt, ticks });
      // A copy of the members: the set may change while the fan-out gives the event loop a turn.
      sends.push({ clients: [...group.clients], frame: textFrame(Buffer.from(text)) });
    }
    for (const { clients, frame } of sends) {
      for (const client of clients) {
        if (++sinceTurn >= SEND_BATCH) {
          sinceTurn = 0;
          await nextTurn();
        }
        if (!this.sendFrame(client, frame)) continue;
        messages++;
        bytes += frame.length;
      }
    }
    return { messages, bytes };
  }

  /** Writes a prebuilt frame, unless the client is gone or behind (then it counts a skip). */
  private sendFrame(client: BroadcastClient, frame: Buffer): boolean {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN || client.wire.destroyed) return false;
    // ws counts what sits unsent in the socket, our frames included.
    if (socket.bufferedAmount > this.options.sendBufferBytes) {
      if (++client.skippedCycles >= SKIPS_BEFORE_DROP) {
        this.broadcaster?.stats.slowDrops.add(Date.now());
        // terminate, not close: a close frame would queue behind the unsent bytes.
        socket.terminate();
      }
      return false;
    }
    client.skippedCycles = 0;
    // Straight to the socket: ws queues nothing of its own here (no compression, no fragments),
    // so these bytes keep their place among the snapshots and heartbeats ws writes.
    client.wire.write(frame);
    return true;
  }

  counts(): ClientCounts {
    const byUser = new Map<string, number>();
    let anonymous = 0;
    for (const client of this.clients) {
      if (client.userId) byUser.set(client.userId, (byUser.get(client.userId) ?? 0) + 1);
      else anonymous++;
    }
    return {
      total: this.clients.size,
      anonymous,
      byUser: [...byUser]
        .map(([userId, clients]) => ({ userId, clients }))
        .sort((a, b) => b.clients - a.clients)
        .slice(0, USERS_SHOWN),
    };
  }

  private async refreshDefaults(db: Parameters<BroadcastSink["prepare"]>[0]): Promise<void> {
    const symbols = await defaultSymbolSet(db);
    const key = symbols.map((s) => s.id).join(",");
    if (key === this.defaultsKey) return;
    this.defaultSymbols = symbols;
    this.defaultsKey = key;
    const group = this.groups.get("defaults");
    if (group) {
      group.ids = new Set(symbols.map((s) => s.id));
      for (const client of group.clients) client.send(this.snapshotText(client));
    }
  }

  private regroup(client: BroadcastClient, sendSnapshot: boolean): void {
    this.leaveGroup(client);
    const symbols = client.symbols();
    const key =
      client.scope === "defaults"
        ? "defaults"
        : createHash("sha1")
            .update(
              symbols
                .map((s) => s.id)
                .sort()
                .join(","),
            )
            .digest("hex");
    client.groupKey = key;
    let group = this.groups.get(key);
    if (!group) {
      group = { ids: new Set(symbols.map((s) => s.id)), clients: new Set() };
      this.groups.set(key, group);
    }
    group.clients.add(client);
    if (sendSnapshot) client.send(this.snapshotText(client));
  }

  private leaveGroup(client: BroadcastClient): void {
    const group = this.groups.get(client.groupKey);
    if (!group) return;
    group.clients.delete(client);
    if (group.clients.size === 0) this.groups.delete(client.groupKey);
  }

  private snapshotText(client: BroadcastClient): string {
    const latest = this.broadcaster?.latest;
    const snapshot: Snapshot = {
      type: "snapshot",
      scope: client.scope,
      userId: client.userId,
      symbols: client.symbols().map((s) => {
        const price = latest?.get(s.id);
        return {
          id: s.id,
          ticker: s.ticker,
          display: s.display,
          price: price?.price ?? null,
          change24h: price?.change24h ?? null,
          at: price?.at ?? null,
        };
      }),
      limits: {
        maxSubscriptions: this.options.maxSubscriptions,
        maxMessageBytes: this.options.maxMessageBytes,
        messagesPerSecond: this.options.messagesPerSecond,
      },
      serverTime: Date.now(),
    };
    return JSON.stringify(snapshot);
  }

  private heartbeatText(): string {
    return JSON.stringify({ type: "heartbeat", serverTime: Date.now(), paused: this.broadcaster?.isPaused ?? false });
  }

  /** Drops clients that did not answer the last ping; pings the rest and tells them the time. */
  private heartbeat(): void {
    const text = this.heartbeatText();
    for (const client of this.clients) {
      if (!client.alive) {
        client.socket.close(CLOSE_SILENT, "no pong");
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
      client.send(text);
    }
  }
}
