import { config } from "#db/config";

// Requests per bearer token in fixed windows, in this process's memory: it resets on restart and
// counts per instance when several run behind a load balancer (each instance then allows the
// limit; put a shared limiter in front if that matters). Staff sessions and anonymous reads of
// public catalogue data are not limited here.

export interface RateLimitSettings {
  limit: number;
  windowMs: number;
}

function fromEnv(): RateLimitSettings {
  return { limit: config().API_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 };
}

let settings = fromEnv();
const windows = new Map<string, { startedAt: number; count: number }>();
const MAX_KEYS = 50_000;

/** Tests set a small limit to reach 429 quickly; every change also forgets the counts so far. */
export function configureApiRateLimit(next: Partial<RateLimitSettings> | "reset-to-env"): void {
  settings = next === "reset-to-env" ? fromEnv() : { ...settings, ...next };
  windows.clear();
}

export const apiRateLimitSettings = (): RateLimitSettings => ({ ...settings });

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** Counts one request for `key` and says whether it is within the limit. */
export function takeApiRequest(key: string, now = Date.now()): RateDecision {
  let window = windows.get(key);
  if (!window || now - window.startedAt >= settings.windowMs) {
    window = { startedAt: now, count: 0 };
    windows.delete(key);
    windows.set(key, window);
    if (windows.size > MAX_KEYS) {
      // Oldest windows first (Map keeps insertion order): a flood of keys cannot exhaust memory.
      for (const stale of [...windows.keys()].slice(0, windows.size - MAX_KEYS)) windows.delete(stale);
    }
  }
  window.count += 1;
  const resetSeconds = Math.max(1, Math.ceil((window.startedAt + settings.windowMs - now) / 1000));
  return {
    allowed: window.count <= settings.limit,
    limit: settings.limit,
    remaining: Math.max(0, settings.limit - window.count),
    resetSeconds,
  };
}
