// Failed sign-ins per client address and email, in a sliding window. Kept in this process's
// memory: it resets on restart and is per instance when several run behind a load balancer.

export const SIGN_IN_LIMIT = { attempts: 5, windowMs: 15 * 60 * 1000 };
const MAX_KEYS = 10_000;

const failures = new Map<string, number[]>();

/** The client address as the nearest proxy reports it; requests without one share "unknown". */
export function clientAddress(request: Request): string {
  const forwarded = request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("X-Real-IP")?.trim() || "unknown";
}

export const signInKey = (request: Request, email: string) => `${clientAddress(request)}|${email.trim().toLowerCase()}`;

function recent(key: string, now: number): number[] {
  const times = (failures.get(key) ?? []).filter((t) => now - t < SIGN_IN_LIMIT.windowMs);
  if (times.length > 0) failures.set(key, times);
  else failures.delete(key);
  return times;
}

export interface LimitState {
  limited: boolean;
  /** Seconds until the oldest failure in the window expires (0 when not limited). */
  retryAfterSeconds: number;
}

export function signInLimit(key: string, now = Date.now()): LimitState {
  const times = recent(key, now);
  if (times.length < SIGN_IN_LIMIT.attempts) return { limited: false, retryAfterSeconds: 0 };
  const oldest = times[times.length - SIGN_IN_LIMIT.attempts] ?? now;
  return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil((oldest + SIGN_IN_LIMIT.windowMs - now) / 1000)) };
}

export function recordSignInFailure(key: string, now = Date.now()): void {
  const times = recent(key, now);
  times.push(now);
  failures.set(key, times);
  if (failures.size > MAX_KEYS) {
    // Drop the oldest keys (Map keeps insertion order) so a flood cannot exhaust memory.
    for (const stale of [...failures.keys()].slice(0, failures.size - MAX_KEYS)) failures.delete(stale);
  }
}

export function clearSignInFailures(key: string): void {
  failures.delete(key);
}
