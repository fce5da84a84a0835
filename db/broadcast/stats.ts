import type { ConnectionState } from "./feed.js";

// The broadcaster's figures, kept in memory over the last minute and published once per cycle
// (broadcaster_instances.stats), where the console and the readiness criteria read them.

const MINUTE_MS = 60_000;
const RATE_WINDOW_MS = 10_000;
const SYMBOLS_SHOWN = 200;

export interface ClientCounts {
  total: number;
  anonymous: number;
  byUser: Array<{ userId: string; clients: number }>;
}

export interface SymbolFigure {
  id: string;
  ticker: string;
  lastSentAt: string;
  sendsPerMinute: number;
}

export interface BroadcasterStats {
  paused: boolean;
  feed: string;
  cycles: number;
  missedCycles: number;
  failedCycles: number;
  lastError: string | null;
  lastCycleMs: number;
  cycleMsMax: number;
  listedLastCycle: number;
  sentLastCycle: number;
  clients: ClientCounts;
  messagesPerSecond: number;
  bytesPerSecond: number;
  connectsPerMinute: number;
  disconnectsPerMinute: number;
  slowDropsPerMinute: number;
  symbols: SymbolFigure[];
  providers: Array<{ providerId: string; state: ConnectionState; since: string }>;
}

interface CycleRecord {
  at: number;
  ms: number;
  messages: number;
  bytes: number;
}

/** Events with a time, of which only the last minute counts. */
class MinuteCounter {
  private times: number[] = [];
  add(at: number): void {
    this.times.push(at);
  }
  count(now: number): number {
    this.times = this.times.filter((t) => now - t < MINUTE_MS);
    return this.times.length;
  }
}

export class StatsRecorder {
  cycles = 0;
  missedCycles = 0;
  failedCycles = 0;
  lastError: string | null = null;
  private recent: CycleRecord[] = [];
  private listed = 0;
  private sent = 0;
  private readonly symbols = new Map<string, { ticker: string; sends: number[] }>();
  readonly connects = new MinuteCounter();
  readonly disconnects = new MinuteCounter();
  readonly slowDrops = new MinuteCounter();
  readonly providers = new Map<string, { state: ConnectionState; since: number }>();

  recordCycle(
    at: number,
    figures: {
      ms: number;
      messages: number;
      bytes: number;
      listed: number;
      sent: Array<{ id: string; ticker: string }>;
    },
  ) {
    this.cycles++;
    this.recent.push({ at, ms: figures.ms, messages: figures.messages, bytes: figures.bytes });
    this.recent = this.recent.filter((r) => at - r.at < MINUTE_MS);
    this.listed = figures.listed;
    this.sent = figures.sent.length;
    for (const symbol of figures.sent) {
      const entry = this.symbols.get(symbol.id) ?? { ticker: symbol.ticker, sends: [] };
      entry.sends.push(at);
      this.symbols.set(symbol.id, entry);
    }
  }

  snapshot(now: number, extra: { paused: boolean; feed: string; clients: ClientCounts }): BroadcasterStats {
    const inRateWindow = this.recent.filter((r) => now - r.at < RATE_WINDOW_MS);
    const seconds = RATE_WINDOW_MS / 1000;
    const symbols: SymbolFigure[] = [];
    for (const [id, entry] of this.symbols) {
      entry.sends = entry.sends.filter((t) => now - t < MINUTE_MS);
      if (entry.sends.length === 0) {
        this.symbols.delete(id);
        continue;
      }
      symbols.push({
        id,
        ticker: entry.ticker,
        lastSentAt: new Date(entry.sends.at(-1)!).toISOString(),
        sendsPerMinute: entry.sends.length,
      });
    }
    symbols.sort((a, b) => b.sendsPerMinute - a.sendsPerMinute || a.ticker.localeCompare(b.ticker));
    return {
      ...extra,
      cycles: this.cycles,
      missedCycles: this.missedCycles,
      failedCycles: this.failedCycles,
      lastError: this.lastError,
      lastCycleMs: round(this.recent.at(-1)?.ms ?? 0),
      cycleMsMax: round(Math.max(0, ...this.recent.map((r) => r.ms))),
      listedLastCycle: this.listed,
      sentLastCycle: this.sent,
      messagesPerSecond: round(inRateWindow.reduce((sum, r) => sum + r.messages, 0) / seconds),
      bytesPerSecond: Math.round(inRateWindow.reduce((sum, r) => sum + r.bytes, 0) / seconds),
      connectsPerMinute: this.connects.count(now),
      disconnectsPerMinute: this.disconnects.count(now),
      slowDropsPerMinute: this.slowDrops.count(now),
      symbols: symbols.slice(0, SYMBOLS_SHOWN),
      providers: [...this.providers].map(([providerId, p]) => ({
        providerId,
        state: p.state,
        since: new Date(p.since).toISOString(),
      })),
    };
  }
}

const round = (value: number) => Math.round(value * 10) / 10;
