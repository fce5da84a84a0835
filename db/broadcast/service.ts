import { randomBytes } from "node:crypto";
import os from "node:os";
import type { Kysely } from "kysely";
import { migrationInProgress } from "../migrator.js";
import { listBroadcastQueue } from "../queries/broadcast-list.js";
import type { Database } from "../schema.js";
import { publishInstance, readControl, removeInstance, setProviderState } from "./control.js";
import type { PriceEvent, PriceFeedAdapter } from "./feed.js";
import { stampBroadcast } from "./stamp.js";
import { type ClientCounts, StatsRecorder } from "./stats.js";

// The broadcast service. Each cycle: the seed's broadcast query (its one definition in
// db/queries) lists what goes out next; every listed symbol with a price goes to the clients that
// follow it (the sink: the WebSocket endpoint); then one statement stamps last_broadcast_at for
// exactly the symbols sent. Staff changes to priority, deprecation, tracking or the defaults are
// read by the next cycle's query, so they take effect within one interval.
//
// Beside other broadcasters (several console instances, or `npm run broadcaster` run more than
// once) only the one that leads the cycles stamps (`leads`, an advisory lock: db/leadership.ts).
// The others run the same query each interval and deliver its answer to their own clients, so
// every client gets ticks at the same pace while the queue moves, and is written, once per cycle.

export interface Tick {
  id: string;
  ticker: string;
  price: number;
  change24h: number | null;
  at: number;
}

export interface CycleTicks {
  cycle: number;
  /** When the cycle started (epoch ms): clients measure delivery latency from it. */
  startedAt: number;
  ticks: Tick[];
}

export interface DeliveryFigures {
  messages: number;
  bytes: number;
}

/** Where ticks go: the WebSocket endpoint, or a test's recorder. */
export interface BroadcastSink {
  /** Called at the start of every cycle, paused or not (refresh what clients follow). */
  prepare(db: Kysely<Database>): Promise<void>;
  deliver(cycle: CycleTicks): DeliveryFigures | Promise<DeliveryFigures>;
  counts(): ClientCounts;
}

export interface BroadcasterOptions {
  intervalMs: number;
  instanceId?: string;
  /** Whether this broadcaster stamps what it sends (it leads the cycles); always, when not given. */
  leads?: () => boolean;
  log?: (line: string) => void;
}

export interface CycleResult {
  skipped: "paused" | "migration" | "failed" | null;
  listed: number;
  sent: string[];
  messages: number;
  /** Whether the sent symbols were stamped (false on a broadcaster that does not lead). */
  stamped: boolean;
}

const FOLLOW_FOR_MS = 5 * 60_000;

export class Broadcaster {
  readonly instanceId: string;
  readonly stats = new StatsRecorder();
  readonly latest = new Map<string, PriceEvent>();
  private readonly lastListed = new Map<string, number>();
  private readonly startedAt = new Date();
  private lastCycleAt: Date | null = null;
  private paused = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private cycleNumber = 0;
  private stopped = false;
  /** Provider states being written: a stop waits for them, so they land before the database closes. */
  private readonly stateWrites = new Set<Promise<void>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly feed: PriceFeedAdapter,
    private readonly sink: BroadcastSink,
    private readonly options: BroadcasterOptions,
  ) {
    this.instanceId = options.instanceId ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
    feed.on("price", (event) => this.latest.set(event.symbolId, event));
    feed.on("status", (event) => {
      this.stats.providers.set(event.providerId, { state: event.state, since: Date.now() });
      const write = setProviderState(db, event.providerId, event.state).catch((error) =>
        this.log(`provider state not saved: ${(error as Error).message}`),
      );
      this.stateWrites.add(write);
      void write.finally(() => this.stateWrites.delete(write));
    });
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Reads the pause switch and connects the feed; `start` does this first. */
  async connect(): Promise<void> {
    this.paused = (await readControl(this.db)).paused;
    await this.feed.connect();
  }

  /** Connects, then runs a cycle every interval until `stop`. */
  async start(): Promise<void> {
    await this.connect();
    const tick = (due: number) => {
      if (this.stopped) return;
      this.running = this.runCycle().finally(() => {
        this.running = null;
        const now = Date.now();
        let next = due + this.options.intervalMs;
        // A cycle that overran its interval: the cycles it pushed out are missed, not queued.
        if (next <= now) {
          const behind = Math.floor((now - next) / this.options.intervalMs) + 1;
          this.stats.missedCycles += behind;
          next += behind * this.options.intervalMs;
        }
        this.timer = setTimeout(() => tick(next), next - now);
      });
    };
    tick(Date.now());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.feed.close();
    await Promise.all(this.stateWrites);
    await removeInstance(this.db, this.instanceId).catch(() => undefined);
  }

  /** One cycle; public so tests drive cycles one at a time. */
  async runCycle(): Promise<CycleResult> {
    const startedAt = Date.now();
    const started = performance.now();
    let result: CycleResult = { skipped: null, listed: 0, sent: [], messages: 0, stamped: false };
    let delivered: DeliveryFigures = { messages: 0, bytes: 0 };
    try {
      // Side by side: every round trip before the first send adds to every client's delay.
      const [, migrating] = await Promise.all([
        this.sink.prepare(this.db),
        this.paused ? false : migrationInProgress(this.db),
      ]);
      if (this.paused) result = { ...result, skipped: "paused" };
      else if (migrating) result = { ...result, skipped: "migration" };
      else {
        const listed = await listBroadcastQueue(this.db);
        this.follow(listed, startedAt);
        const ticks: Tick[] = [];
        for (const row of listed) {
          const price = this.latest.get(row.id);
          if (price)
            ticks.push({
              id: row.id,
              ticker: row.ticker,
              price: price.price,
              change24h: price.change24h,
              at: price.at,
            });
        }
        this.cycleNumber++;
        delivered = await this.sink.deliver({ cycle: this.cycleNumber, startedAt, ticks });
        const stamped = this.options.leads?.() ?? true;
        if (stamped)
          await stampBroadcast(
            this.db,
            ticks.map((t) => t.id),
            new Date(startedAt),
          );
        result = {
          skipped: null,
          listed: listed.length,
          sent: ticks.map((t) => t.id),
          messages: delivered.messages,
          stamped,
        };
        this.stats.recordCycle(startedAt, {
          ms: performance.now() - started,
          ...delivered,
          listed: listed.length,
          sent: ticks,
        });
      }
      this.stats.lastError = null;
    } catch (error) {
      this.stats.failedCycles++;
      this.stats.lastError = (error as Error).message;
      this.log(`cycle failed: ${(error as Error).message}`);
      result = { ...result, skipped: "failed" };
    }
    this.lastCycleAt = new Date(startedAt);
    await this.publish();
    return result;
  }

  private async publish(): Promise<void> {
    const stats = this.stats.snapshot(Date.now(), {
      paused: this.paused,
      feed: this.feed.name,
      clients: this.sink.counts(),
    });
    try {
      this.paused = await publishInstance(
        this.db,
        {
          id: this.instanceId,
          host: os.hostname(),
          startedAt: this.startedAt,
          intervalMs: this.options.intervalMs,
          lastCycleAt: this.lastCycleAt,
        },
        stats,
      );
    } catch (error) {
      this.log(`figures not published: ${(error as Error).message}`);
    }
  }

  /** The feed follows what the query lists, and lets go of what it has not listed for a while. */
  private follow(listed: Awaited<ReturnType<typeof listBroadcastQueue>>, now: number): void {
    const fresh = listed.filter((row) => !this.lastListed.has(row.id));
    for (const row of listed) this.lastListed.set(row.id, now);
    if (fresh.length > 0) {
      this.feed.subscribe(
        fresh.map((row) => ({
          id: row.id,
          ticker: row.ticker,
          marketCode: row.market_code,
          providerId: row.provider_id,
          providerCode: row.provider_code,
          referencePrice: row.current_price === null ? null : Number(row.current_price),
        })),
      );
    }
    const stale = [...this.lastListed].filter(([, at]) => now - at > FOLLOW_FOR_MS).map(([id]) => id);
    if (stale.length > 0) {
      this.feed.unsubscribe(stale);
      for (const id of stale) {
        this.lastListed.delete(id);
        this.latest.delete(id);
      }
    }
  }

  private log(line: string): void {
    (this.options.log ?? console.error)(`[broadcaster] ${line}`);
  }
}
