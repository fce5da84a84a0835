import { runInBackground } from "./background-work.server";

// Figures computed over the whole catalogue (a few counts over 100k symbols and 1M preferences
// take a second or more), kept for a few seconds and shared by every request of this process.
// Requests arriving during a computation share it. With `serveStale`, an expired snapshot is
// still answered while a fresh one is computed in the background, so only the first request
// after a start (or after `dropSnapshots`) ever waits; pages say "as of" when they show one.

interface Snapshot<T> {
  at: number;
  value: Promise<T>;
  refreshing: boolean;
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
    if (!current.refreshing) {
      current.refreshing = true;
      runInBackground(() =>
        compute().then(
          (value) => {
            // Kept unless the snapshot was dropped meanwhile (the result may predate the change).
            if (snapshots.get(key) === current)
              snapshots.set(key, { at: Date.now(), value: Promise.resolve(value), refreshing: false });
          },
          (error: unknown) => {
            current.refreshing = false;
            console.error(`[snapshot] ${key} could not be refreshed; the last one stays:`, error);
          },
        ),
      );
    }
    return current.value;
  }
  const value = compute();
  snapshots.set(key, { at: Date.now(), value, refreshing: false });
  // A failed computation is not kept: the next request tries again.
  value.catch(() => {
    if (snapshots.get(key)?.value === value) snapshots.delete(key);
  });
  return value;
}

export function hasSnapshot(key: string): boolean {
  return store().has(key);
}

/**
 * Installs a value kept elsewhere (say, stored by another instance) as already expired: served while a fresh one is
 * computed.
 */
export function seedSnapshot<T>(key: string, value: T): void {
  if (!store().has(key)) store().set(key, { at: 0, value: Promise.resolve(value), refreshing: false });
}

/** Forgets every snapshot (after a migration step or a check run): the next request computes afresh. */
export function dropSnapshots(): void {
  store().clear();
}
