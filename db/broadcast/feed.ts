// The provider-adapter interface: how prices reach the broadcaster. An adapter connects to one
// or more data providers, follows the symbols it is asked to, and reports prices and its
// connection state as events. The broadcaster only ever sees this interface, so an adapter for
// Binance's combined streams, BIST or Yahoo plugs in without touching it (docs/broadcaster.md
// maps each provider's messages onto these events).

export type ConnectionState = "connected" | "degraded" | "disconnected";

/** What an adapter needs to follow one symbol (from the broadcast query's row). */
export interface FeedSymbol {
  id: string;
  ticker: string;
  marketCode: string;
  providerId: string | null;
  providerCode: string | null;
  /** The catalogue's `current_price`, where a simulated or delayed feed starts from. */
  referencePrice: number | null;
}

export interface PriceEvent {
  symbolId: string;
  price: number;
  /** Percent change over 24 hours, when the provider tells it. */
  change24h: number | null;
  /** When the provider priced it (epoch ms). */
  at: number;
}

export interface StatusEvent {
  providerId: string;
  state: ConnectionState;
  detail?: string;
}

export interface PriceFeedListeners {
  price: (event: PriceEvent) => void;
  status: (event: StatusEvent) => void;
}

export interface PriceFeedAdapter {
  readonly name: string;
  connect(): Promise<void>;
  close(): Promise<void>;
  /** Start following these symbols (already followed ones are left as they are). */
  subscribe(symbols: readonly FeedSymbol[]): void;
  unsubscribe(symbolIds: readonly string[]): void;
  on<E extends keyof PriceFeedListeners>(event: E, listener: PriceFeedListeners[E]): void;
}

/** The listener bookkeeping every adapter needs. */
export class FeedEvents {
  private readonly listeners: { [E in keyof PriceFeedListeners]: Array<PriceFeedListeners[E]> } = {
    price: [],
    status: [],
  };

  on<E extends keyof PriceFeedListeners>(event: E, listener: PriceFeedListeners[E]): void {
    this.listeners[event].push(listener);
  }

  emit<E extends keyof PriceFeedListeners>(event: E, payload: Parameters<PriceFeedListeners[E]>[0]): void {
    for (const listener of this.listeners[event]) (listener as (p: typeof payload) => void)(payload);
  }
}
