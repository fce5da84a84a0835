import pg from "pg";

// LISTEN/NOTIFY, for caches that must drop what they hold the moment the database changes it,
// on every instance of the app. A listener is "live" only while its session is connected and
// listening: a cache serves from memory only then, because a notification sent while the session
// was away is lost. Every (re)connection therefore reports a gap, as does every disconnection.

/** Sent by the triggers of 20250110 whenever a default symbol's row changes. */
export const DEFAULT_SYMBOLS_CHANNEL = "symbol_desk_default_symbols";
/**
 * Sent by the triggers of 20250117 when a token is revoked, its expiry moved or its row deleted;
 * the payload is the token's hash (empty after a truncate: every token).
 */
export const API_TOKENS_CHANNEL = "symbol_desk_api_tokens";
/** Sent by the migrator after every migration step, in either direction. */
export const SCHEMA_CHANNEL = "symbol_desk_schema";

export interface ListenHandlers {
  onNotify(channel: string, payload: string): void;
  /** Notifications may have been missed (connected anew, or disconnected). */
  onGap(): void;
}

export interface Listener {
  /** Connected and listening: every notification from now on will arrive. */
  readonly live: boolean;
  close(): Promise<void>;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * A dedicated session (outside the pool: a pooled connection is handed to other queries) that
 * listens on `channels` and reconnects with backoff after the server restarts.
 */
export function listenOnServer(databaseUrl: string, channels: readonly string[], handlers: ListenHandlers): Listener {
  let client: pg.Client | null = null;
  let live = false;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let retryTimer: NodeJS.Timeout | null = null;

  const lost = (from: pg.Client) => {
    if (client !== from) return;
    client = null;
    live = false;
    handlers.onGap();
    from.end().catch(() => {});
    scheduleConnect();
  };

  const scheduleConnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl, keepAlive: true, connectionTimeoutMillis: 5_000 });
    next.on("notification", (message) => handlers.onNotify(message.channel, message.payload ?? ""));
    next.on("error", (error) => {
      console.error(`[db] notification session lost: ${error.message}`);
      lost(next);
    });
    next.on("end", () => lost(next));
    client = next;
    try {
      await next.connect();
      for (const channel of channels) await next.query(`listen ${next.escapeIdentifier(channel)}`);
      if (closed || client !== next) {
        await next.end();
        return;
      }
      live = true;
      retryMs = RETRY_MIN_MS;
      // Whatever changed before this moment was not heard.
      handlers.onGap();
    } catch {
      lost(next);
    }
  };

  void connect();
  return {
    get live() {
      return live;
    },
    close: async () => {
      closed = true;
      live = false;
      if (retryTimer) clearTimeout(retryTimer);
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}
