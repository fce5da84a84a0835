import { runInBackground } from "./background-work.server";

// Figures computed over the whole catalogue (a few counts over 100k symbols and 1M preferences
// take a second or more), kept for a few seconds and shared by every request of this process.
// Requests arriving during a computation share it. With `serveStale`, an expired snapshot is
// still answered while a fresh one is computed in the background, so only the first request
// after a start (or after `dropSnapshots`) ever waits; pages say "as of" when they show one.

interface Snapshot<T> {
  /** When the computation of `value` started: the figures are as of their reading, not its end. */
  at: number;
  value: Promise<T>;
  renewal: Promise<void> | null;
}

declare global {
  var __symbolDeskSnapshots: Map<string, Snapshot<unknown>> | undefined;
}

const store = (): Map<string, Snapshot<unknown>> => (globalThis.__symbolDeskSnapshots ??= new Map());

export function snapshot<T>(
  key: string,
  ttlMs: number,
  compute: () => Promise<T>,
  options: { serveStale: boolean },
): Promise<T> {
  const snapshots = store() as Map<string, Snapshot<T>>;
  const current = snapshots.get(key);
  if (current && Date.now() - current.at < ttlMs) return current.value;
  if (current && options.serveStale) {
    if (!current.renewal) runInBackground(() => renew(key, current, compute));
    return current.value;
  }
  const value = compute();
  const computing: Snapshot<T> = { at: Date.now(), value, renewal: null };
  // A renewal asked for meanwhile shares this computation.
  computing.renewal = value.then(
    () => void (computing.renewal = null),
    () => void (computing.renewal = null),
  );
  snapshots.set(key, computing);
  // A failed computation is not kept: the next request tries again.
  value.catch(() => {
    if (snapshots.get(key)?.value === value) snapshots.delete(key);
  });
  return value;
}

/**
 * Computes the snapshot afresh now, whatever its age (a background loop's tick), while the last
 * value is still served; a renewal already under way is shared. With none yet, the first one.
 */
export async function renewSnapshot<T>(key: string, compute: () => Promise<T>): Promise<void> {
  const current = store().get(key) as Snapshot<T> | undefined;
  if (current) return renew(key, current, compute);
  await snapshot(key, Number.POSITIVE_INFINITY, compute, { serveStale: true }).catch((error: unknown) => {
    console.error(`[snapshot] ${key} could not be computed:`, error);
  });
}

function renew<T>(key: string, current: Snapshot<T>, compute: () => Promise<T>): Promise<void> {
  const snapshots = store() as Map<string, Snapshot<T>>;
  const startedAt = Date.now();
  current.renewal ??= compute().then(
    (value) => {
      // Kept unless the snapshot was dropped meanwhile (the result may predate the change).
      if (snapshots.get(key) === current)
        snapshots.set(key, { at: startedAt, value: Promise.resolve(value), renewal: null });
    },
    (error: unknown) => {
      current.renewal = null;
      console.error(`[snapshot] ${key} could not be refreshed; the last one stays:`, error);
    },
  );
  return current.renewal;
}

/** When the snapshot's computation started (ms since the epoch), or null with none. */
export function snapshotTakenAt(key: string): number | null {
  return store().get(key)?.at ?? null;
}

export function hasSnapshot(key: string): boolean {
  return store().has(key);
}

/**
 * Installs a value kept elsewhere (say, stored by another instance) as of `at`, when it was
 * computed: served as fresh while it is younger than the snapshot's interval, then while a fresh
 * one is computed.
 */
export function seedSnapshot<T>(key: string, value: T, at: number): void {
  if (!store().has(key)) store().set(key, { at, value: Promise.resolve(value), renewal: null });
}

/** Forgets every snapshot (after a migration step or a check run): the next request computes afresh. */
export function dropSnapshots(): void {
  store().clear();
}
