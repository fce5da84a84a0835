import { type Kysely, sql } from "kysely";
import { config } from "../config.js";
import type { Database } from "../schema.js";

// Throttles that hold across instances and restarts, kept in PostgreSQL (never in a process's
// memory, which a second instance or a restart would not share).
//
// Sign-in: failures are counted per bucket (an account, a client address). Past a bucket's free
// tries, each failure makes the next try wait longer (1 s, 2 s, 4 s … up to the bucket's cap);
// the wait is a delay, not a lock, so someone guessing at an account cannot keep its owner out
// for longer than the cap, and the owner's own sign-in clears the account's bucket. A bucket is
// forgotten an hour after its last failure.
//
// API: requests per token in fixed windows, counted on a small unlogged table keyed by token (one
// row per token, reset when a new window starts, so nothing to sweep); each process adds its
// requests to it in one upsert per tenth of a second (takeApiRequest), not one per request.

export interface ThrottleRule {
  /** Failures that cost nothing. */
  free: number;
  /** The longest wait, in seconds. */
  maxDelaySeconds: number;
}

export const SIGN_IN_RULES = {
  account: { free: 5, maxDelaySeconds: 5 * 60 },
  // An office behind one NAT shares an address: more free tries, a longer cap.
  address: { free: 20, maxDelaySeconds: 15 * 60 },
  // First-run setup codes, per client address: nobody has a reason to mistype one often.
  setup: { free: 5, maxDelaySeconds: 15 * 60 },
  // Invitation and reset links (/password/:token), per client address: a person follows the link
  // they were given, so a wrong one more than now and then is someone guessing.
  passwordLink: { free: 5, maxDelaySeconds: 15 * 60 },
} as const satisfies Record<string, ThrottleRule>;

const FORGET_AFTER = "1 hour";

export type SignInBucket = { kind: keyof typeof SIGN_IN_RULES; key: string };

/** The buckets of one sign-in attempt: the account (by email) and the client address. */
export const signInBuckets = (email: string, clientAddress: string): SignInBucket[] => [
  { kind: "account", key: `account:${email.trim().toLowerCase()}` },
  { kind: "address", key: `address:${clientAddress}` },
];

/** The bucket of one try at first-run setup's code. */
export const setupCodeBuckets = (clientAddress: string): SignInBucket[] => [
  { kind: "setup", key: `setup:${clientAddress}` },
];

/** The bucket of one try at a password link's token. */
export const passwordLinkBuckets = (clientAddress: string): SignInBucket[] => [
  { kind: "passwordLink", key: `password-link:${clientAddress}` },
];

/** Seconds until the buckets allow another try (0: now). */
export async function signInWait(db: Kysely<Database>, buckets: SignInBucket[]): Promise<number> {
  const row = await db
    .selectFrom("sign_in_throttle")
    .select(sql<number | null>`ceil(extract(epoch from max(blocked_until) - now()))::int`.as("wait"))
    .where(
      "key",
      "in",
      buckets.map((b) => b.key),
    )
    .where("blocked_until", ">", sql<Date>`now()`)
    .executeTakeFirst();
  return Math.max(0, row?.wait ?? 0);
}

/** Counts a failure in every bucket; returns the wait it sets (seconds, 0 while tries are free). */
export async function recordSignInFailure(db: Kysely<Database>, buckets: SignInBucket[]): Promise<number> {
  let wait = 0;
  for (const bucket of buckets) {
    const rule = SIGN_IN_RULES[bucket.kind];
    // The count after this failure: restarted when the bucket had been quiet long enough.
    const failures = sql<number>`case when sign_in_throttle.last_failure_at < now() - ${sql.lit(FORGET_AFTER)}::interval
      then 1 else sign_in_throttle.failures + 1 end`;
    const delay = (count: RawCount) =>
      sql<Date | null>`case when ${count} > ${sql.lit(rule.free)}
        then now() + make_interval(secs => least(${sql.lit(rule.maxDelaySeconds)}, power(2, ${count} - ${sql.lit(rule.free + 1)})))
        else null end`;
    const row = await db
      .insertInto("sign_in_throttle")
      .values({ key: bucket.key, failures: 1, last_failure_at: sql`now()`, blocked_until: delay(sql`1`) })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({ failures, last_failure_at: sql`now()`, blocked_until: delay(failures) }),
      )
      .returning(sql<number | null>`ceil(extract(epoch from blocked_until - now()))::int`.as("wait"))
      .executeTakeFirstOrThrow();
    wait = Math.max(wait, row.wait ?? 0);
  }
  return wait;
}

type RawCount = ReturnType<typeof sql>;

/** After a successful sign-in: the account's bucket starts again (the address's does not). */
export async function clearSignInFailures(db: Kysely<Database>, buckets: SignInBucket[]): Promise<void> {
  const keys = buckets.filter((b) => b.kind === "account").map((b) => b.key);
  if (keys.length > 0) await db.deleteFrom("sign_in_throttle").where("key", "in", keys).execute();
}

export interface RateLimitSettings {
  limit: number;
  windowMs: number;
}

const fromEnv = (): RateLimitSettings => ({ limit: config().API_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 });
let apiSettings = fromEnv();
/** Windows are aligned to this instant (milliseconds since the epoch); tests move it to start afresh. */
let windowOriginMs = 0;

/** Tests set a small limit to reach 429 quickly; every change also starts a new window. */
export function configureApiRateLimit(next: Partial<RateLimitSettings> | "reset-to-env"): void {
  apiSettings = next === "reset-to-env" ? fromEnv() : { ...apiSettings, ...next };
  windowOriginMs = next === "reset-to-env" ? 0 : Date.now();
}

export const apiRateLimitSettings = (): RateLimitSettings => ({ ...apiSettings });

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** How often the requests counted in memory are added to the shared count in PostgreSQL. */
export const RATE_FLUSH_EVERY_MS = 100;

/** One token's current window as this process knows it. */
interface TokenWindow {
  /** The window's start, milliseconds since the epoch. */
  start: number;
  /** The shared count (every instance's requests) as of this process's last flush. */
  shared: number;
  /** This process's requests not yet added to the shared count. */
  pending: number;
  /** This process's requests being added by a flush now: counted until `shared` includes them. */
  flushing: number;
}

interface RateCounter {
  windows: Map<string, TokenWindow>;
  timer: NodeJS.Timeout | null;
}

const counters = new WeakMap<Kysely<Database>, RateCounter>();
/** What Kysely throws for a query on a destroyed instance. */
const CLOSED_DATABASE = "driver has already been destroyed";

/**
 * Counts one request of `tokenId` and says whether it is within the limit. Decided in memory, on
 * the shared count plus this process's requests not yet in it, a flush under way included: the
 * requests of a window are added to PostgreSQL in one statement per RATE_FLUSH_EVERY_MS for every
 * token, not one per request, and each flush reads back what every instance has counted. With one
 * instance the limit is exact; with several, a token may pass it by what the others counted since
 * their last flush (a tenth of a second of its traffic).
 */
export async function takeApiRequest(db: Kysely<Database>, tokenId: string): Promise<RateDecision> {
  const { limit, windowMs } = apiSettings;
  const now = Date.now();
  const start = windowOriginMs + Math.floor(Math.max(0, now - windowOriginMs) / windowMs) * windowMs;
  let counter = counters.get(db);
  if (!counter) {
    counter = { windows: new Map(), timer: null };
    counters.set(db, counter);
  }
  let window = counter.windows.get(tokenId);
  if (!window || window.start !== start) {
    window = { start, shared: 0, pending: 0, flushing: 0 };
    counter.windows.set(tokenId, window);
  }
  window.pending++;
  const requests = window.shared + window.flushing + window.pending;
  scheduleFlush(db, counter);
  return {
    allowed: requests <= limit,
    limit,
    remaining: Math.max(0, limit - requests),
    resetSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)),
  };
}

function scheduleFlush(db: Kysely<Database>, counter: RateCounter): void {
  if (counter.timer) return;
  counter.timer = setTimeout(() => {
    void flushApiRequests(db).finally(() => {
      counter.timer = null;
      if ([...counter.windows.values()].some((w) => w.pending > 0)) scheduleFlush(db, counter);
    });
  }, RATE_FLUSH_EVERY_MS);
  counter.timer.unref();
}

/** Adds the requests counted in memory to the shared counts, and reads those back. */
export async function flushApiRequests(db: Kysely<Database>): Promise<void> {
  const counter = counters.get(db);
  if (!counter) return;
  const batch = [...counter.windows]
    .filter(([, w]) => w.pending > 0)
    .map(([tokenId, w]) => ({ tokenId, w, sent: w.pending }));
  // Windows that are over and fully counted are forgotten.
  const now = Date.now();
  for (const [tokenId, w] of counter.windows)
    if (w.pending === 0 && w.flushing === 0 && w.start + apiSettings.windowMs <= now) counter.windows.delete(tokenId);
  if (batch.length === 0) return;
  for (const { w, sent } of batch) {
    w.pending -= sent;
    w.flushing += sent;
  }
  try {
    const rows = await db
      .insertInto("api_rate_windows")
      .values(
        batch.map(({ tokenId, w, sent }) => ({
          token_id: tokenId,
          window_start: sql<Date>`to_timestamp(${w.start / 1000}::float8)`,
          requests: sent,
        })),
      )
      .onConflict((oc) =>
        oc.column("token_id").doUpdateSet({
          requests: sql`case when api_rate_windows.window_start = excluded.window_start then api_rate_windows.requests + excluded.requests else excluded.requests end`,
          window_start: sql`excluded.window_start`,
        }),
      )
      .returning(["token_id", "requests"])
      .execute();
    const shared = new Map(rows.map((row) => [row.token_id, row.requests]));
    for (const { tokenId, w, sent } of batch) {
      w.flushing -= sent;
      // A window that has since been replaced in memory keeps its own count.
      if (counter.windows.get(tokenId) === w) w.shared = shared.get(tokenId) ?? w.shared + sent;
    }
  } catch (error) {
    // The database was closed meanwhile (a stopping server): nothing is left to save them to.
    if (error instanceof Error && error.message === CLOSED_DATABASE) return void counters.delete(db);
    // Counted again with the next flush; the decisions meanwhile stand on what this process saw.
    for (const { w, sent } of batch) {
      w.flushing -= sent;
      w.pending += sent;
    }
    console.error("[throttle] API request counts could not be saved:", error);
  }
}
