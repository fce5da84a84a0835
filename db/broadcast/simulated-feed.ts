import { createHash } from "node:crypto";
import { type ConnectionState, type FeedSymbol, FeedEvents, type PriceFeedAdapter, type StatusEvent } from "./feed.js";

// The default adapter: a deterministic random walk per symbol, starting from the catalogue's
// `current_price`, so the whole broadcast loop runs on a bare machine and in tests. The same seed
// and the same steps give the same prices: symbol s's n-th price depends only on (seed, s, n).

const VOLATILITY_PER_STEP = 0.002;
const PRICE_WITHOUT_REFERENCE = 100;

/** mulberry32: a small, fast, seedable generator (uniform in [0, 1)). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const seedOf = (text: string) => createHash("sha256").update(text).digest().readUInt32LE(0);

interface Walk {
  symbol: FeedSymbol;
  reference: number;
  price: number;
  random: () => number;
}

export class SimulatedFeed implements PriceFeedAdapter {
  readonly name = "simulated";
  private readonly events = new FeedEvents();
  private readonly walks = new Map<string, Walk>();
  private readonly providers = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private connected = false;

  /**
   * `stepMs` 0 steps only when told (`step()`), as tests do. `states` plays each provider as the
   * catalogue last saw it (a degraded one stays degraded); a disconnected one is connected now.
   */
  constructor(
    private readonly options: {
      seed: string;
      stepMs: number;
      states?: ReadonlyMap<string, ConnectionState>;
      now?: () => number;
    },
  ) {}

  private stateOf(providerId: string): ConnectionState {
    const recorded = this.options.states?.get(providerId);
    return recorded === "degraded" ? "degraded" : "connected";
  }

  on: PriceFeedAdapter["on"] = (event, listener) => this.events.on(event, listener);

  async connect(): Promise<void> {
    this.connected = true;
    for (const providerId of this.providers) this.announce({ providerId, state: this.stateOf(providerId) });
    if (this.options.stepMs > 0) {
      this.timer = setInterval(() => this.step(), this.options.stepMs);
      this.timer.unref();
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.connected = false;
    for (const providerId of this.providers) this.announce({ providerId, state: "disconnected" });
  }

  subscribe(symbols: readonly FeedSymbol[]): void {
    for (const symbol of symbols) {
      if (this.walks.has(symbol.id)) continue;
      const reference =
        symbol.referencePrice && symbol.referencePrice > 0 ? symbol.referencePrice : PRICE_WITHOUT_REFERENCE;
      const walk = {
        symbol,
        reference,
        price: reference,
        random: generator(seedOf(`${this.options.seed}:${symbol.id}`)),
      };
      this.walks.set(symbol.id, walk);
      if (symbol.providerId && !this.providers.has(symbol.providerId)) {
        this.providers.add(symbol.providerId);
        if (this.connected) this.announce({ providerId: symbol.providerId, state: this.stateOf(symbol.providerId) });
      }
      // A simulated provider knows the price at once; a real one sends it when it has it.
      if (this.connected) this.publish(walk);
    }
  }

  unsubscribe(symbolIds: readonly string[]): void {
    for (const id of symbolIds) this.walks.delete(id);
  }

  /** One step of every followed symbol's walk. */
  step(): void {
    for (const walk of this.walks.values()) {
      // Box-Muller: a normal step, so the walk is log-normal like a price.
      const u = Math.max(walk.random(), Number.EPSILON);
      const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * walk.random());
      walk.price *= Math.exp(VOLATILITY_PER_STEP * normal);
      this.publish(walk);
    }
  }

  followed(): number {
    return this.walks.size;
  }

  private publish(walk: Walk): void {
    const price = Number(walk.price.toPrecision(10));
    const change24h = Math.round((walk.price / walk.reference - 1) * 10_000) / 100;
    this.events.emit("price", { symbolId: walk.symbol.id, price, change24h, at: this.options.now?.() ?? Date.now() });
  }

  private announce(event: StatusEvent): void {
    this.events.emit("status", event);
  }
}
