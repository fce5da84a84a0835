import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import type { DbConnection } from "#db/client";
import { authenticateApiToken } from "#db/repositories/api-tokens";
import { type FollowedSymbol, symbolsByTicker, userSymbolSet } from "#db/broadcast/subscriptions";
import { type ClientMessage, clientMessageSchema, describeIssues, type ErrorCode, errorMessage } from "./ws-protocol";

// One WebSocket client of /ws/symbols: what it follows and what it may send. Every message it
// sends is size-checked, rate-limited and validated; a bad one gets an `error` message back and
// changes nothing. Only the first message may carry a token, so a token never sits in a URL (and
// in proxy logs) and a connection cannot be used to try tokens one after another.

export interface ClientLimits {
  maxMessageBytes: number;
  messagesPerSecond: number;
  maxSubscriptions: number;
}

export type Scope = "defaults" | "user" | "tickers";

/** Rejected messages in a row after which the client is disconnected (1008). */
const REJECTIONS_BEFORE_CLOSE = 20;

export interface ClientHost {
  conn: () => Promise<DbConnection>;
  limits: ClientLimits;
  defaults(): FollowedSymbol[];
  /** The client's followed set changed: regroup it and send it a snapshot. */
  changed(client: BroadcastClient): void;
  heartbeat(): string;
}

export class BroadcastClient {
  scope: Scope = "defaults";
  userId: string | null = null;
  /** Followed symbols by id (for "defaults", the hub's live defaults are used instead). */
  followed = new Map<string, FollowedSymbol>();
  /** Key of the group of clients following exactly the same symbols. */
  groupKey = "defaults";
  alive = true;
  skippedCycles = 0;
  private messagesSeen = 0;
  private rejectedInARow = 0;
  private tokens: number;
  private refilledAt = Date.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly socket: WebSocket,
    /** The upgraded connection under `socket`: the broadcast fan-out writes its prebuilt frames here. */
    readonly wire: Duplex,
    private readonly host: ClientHost,
  ) {
    this.tokens = host.limits.messagesPerSecond * 2;
  }

  symbols(): FollowedSymbol[] {
    return this.scope === "defaults" ? this.host.defaults() : [...this.followed.values()];
  }

  /** Handles one message; messages are handled in order, one at a time. */
  receive(data: Buffer, isBinary: boolean): void {
    this.alive = true;
    const first = this.messagesSeen++ === 0;
    if (!this.takeToken())
      return this.reject("rate_limited", `At most ${this.host.limits.messagesPerSecond} messages per second.`);
    if (isBinary) return this.reject("bad_message", "Messages are JSON text, not binary.");
    if (data.length > this.host.limits.maxMessageBytes) {
      return this.reject("message_too_large", `A message may be at most ${this.host.limits.maxMessageBytes} bytes.`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString("utf8"));
    } catch {
      return this.reject("bad_message", "The message is not JSON.");
    }
    const message = clientMessageSchema.safeParse(parsed);
    if (!message.success) return this.reject("bad_message", describeIssues(message.error));
    this.rejectedInARow = 0;
    this.queue = this.queue
      .then(() => this.handle(message.data, first))
      .catch((error: unknown) => {
        console.error("[ws] message failed:", error);
        this.send(errorMessage("unavailable", "That could not be done right now. Try again in a moment."));
      });
  }

  send(text: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(text);
  }

  private async handle(message: ClientMessage, first: boolean): Promise<void> {
    switch (message.type) {
      case "ping":
        this.send(this.host.heartbeat());
        return;
      case "auth":
        return this.authenticate(message.token, first);
      case "subscribe":
      case "unsubscribe":
        return this.change(message.type, message.tickers);
    }
  }

  private async authenticate(token: string, first: boolean): Promise<void> {
    if (!first) return this.reject("auth_not_first", "Send the token as the first message of the connection.");
    const { db } = await this.host.conn();
    const found = await authenticateApiToken(db, token);
    if (!found) return this.reject("invalid_token", "This token is not valid: it is unknown or has been revoked.");
    const symbols = await userSymbolSet(db, found.userId);
    this.scope = "user";
    this.userId = found.userId;
    this.followed = new Map(symbols.slice(0, this.host.limits.maxSubscriptions).map((s) => [s.id, s]));
    this.host.changed(this);
  }

  private async change(kind: "subscribe" | "unsubscribe", tickers: string[]): Promise<void> {
    const { db } = await this.host.conn();
    const found = await symbolsByTicker(db, tickers);
    const known = new Set(found.map((s) => s.ticker));
    const unknown = tickers.filter((t) => !known.has(t));
    const next = new Map(this.symbols().map((s) => [s.id, s]));
    for (const symbol of found) {
      if (kind === "subscribe") next.set(symbol.id, symbol);
      else next.delete(symbol.id);
    }
    if (next.size > this.host.limits.maxSubscriptions) {
      return this.reject(
        "too_many_subscriptions",
        `A connection may follow at most ${this.host.limits.maxSubscriptions} symbols; ` +
          `it follows ${this.symbols().length}.`,
      );
    }
    if (unknown.length > 0) {
      this.send(errorMessage("unknown_tickers", `No active symbol has the ticker ${unknown.slice(0, 10).join(", ")}.`));
    }
    if (found.length === 0) return;
    this.followed = next;
    if (this.scope === "defaults") this.scope = "tickers";
    this.host.changed(this);
  }

  private reject(code: ErrorCode, message: string): void {
    this.send(errorMessage(code, message));
    if (++this.rejectedInARow >= REJECTIONS_BEFORE_CLOSE) this.socket.close(1008, "too many rejected messages");
  }

  /** A token bucket: a burst of twice the rate, refilled continuously. */
  private takeToken(): boolean {
    const now = Date.now();
    const rate = this.host.limits.messagesPerSecond;
    this.tokens = Math.min(rate * 2, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
