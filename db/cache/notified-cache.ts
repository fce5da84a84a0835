import type { DbConnection } from "../client.js";
import type { Listener } from "../notifications.js";
import { throttledStamp } from "./change-stamp.js";

// A value read from the database and kept in memory until the database says it changed: any
// notification on the cache's channels (see notifications.ts) drops it, so every instance of the
// app sees a change as soon as the notification arrives (it is sent at commit, over the listening
// session: a request racing it by a millisecond or two still gets the old value). While the
// listening session is down nothing is served from memory, since a change in that time would go
// unheard.
//
// An instance that cannot listen at all (its only connection is a transaction pooler) reads the
// channels' version rows instead, at most once a second (change-stamp.ts): a change then shows
// within about a second.

export interface Computed<T> {
  value: T;
  /** False when the database cannot announce changes to this value (its triggers are absent). */
  cacheable: boolean;
}

export interface NotifiedCache<T> {
  get(): Promise<T>;
  /** The value kept now, without waiting; undefined when get() would have to ask the database. */
  peek(): T | undefined;
}

/** A bound on any staleness nothing announced (say, a trigger dropped by hand). */
const MAX_AGE_MS = 60_000;

export function createNotifiedCache<T>(
  conn: DbConnection,
  channels: readonly string[],
  compute: () => Promise<Computed<T>>,
): NotifiedCache<T> {
  return conn.topology().changes === "poll"
    ? pollingCache(conn, channels, compute)
    : listeningCache(conn, channels, compute);
}

function listeningCache<T>(
  conn: DbConnection,
  channels: readonly string[],
  compute: () => Promise<Computed<T>>,
): NotifiedCache<T> {
  let entry: { at: number; value: Promise<T>; settled?: { value: T } } | null = null;
  const invalidate = () => {
    entry = null;
  };
  let listener: Listener | null = null;
  const listening = conn.listen(channels, { onNotify: invalidate, onGap: invalidate }).then(
    (started) => (listener = started),
    (error: unknown) => {
      console.error("[db] cache listener could not start; serving uncached:", error);
      return null;
    },
  );

  return {
    async get() {
      if (!(await listening)?.live) return (await compute()).value;
      if (entry && Date.now() - entry.at < MAX_AGE_MS) return entry.value;
      // Requests arriving while the value is computed share the one computation.
      const computing = compute();
      const mine: NonNullable<typeof entry> = { at: Date.now(), value: computing.then((c) => c.value) };
      entry = mine;
      // A notification during the computation has already dropped `mine` (its result may predate
      // the change); it is answered to those who asked, never kept.
      computing.then(
        (c) => {
          if (c.cacheable) mine.settled = { value: c.value };
          else if (entry === mine) entry = null;
        },
        () => {
          if (entry === mine) entry = null;
        },
      );
      return mine.value;
    },
    peek() {
      if (!listener?.live || !entry?.settled || Date.now() - entry.at >= MAX_AGE_MS) return undefined;
      return entry.settled.value;
    },
  };
}

function pollingCache<T>(
  conn: DbConnection,
  channels: readonly string[],
  compute: () => Promise<Computed<T>>,
): NotifiedCache<T> {
  const stamp = throttledStamp(conn, channels);
  let entry: { at: number; stamp: string; value: Promise<T> } | null = null;
  return {
    async get() {
      // Read before the value: a change committed in between makes the next stamp differ.
      const current = await stamp();
      if (current === null) return (await compute()).value;
      if (entry && entry.stamp === current && Date.now() - entry.at < MAX_AGE_MS) return entry.value;
      const computing = compute();
      const mine = { at: Date.now(), stamp: current, value: computing.then((c) => c.value) };
      entry = mine;
      computing.then(
        (c) => {
          if (!c.cacheable && entry === mine) entry = null;
        },
        () => {
          if (entry === mine) entry = null;
        },
      );
      return mine.value;
    },
    // Whether a kept value is still current takes a look at the version rows.
    peek: () => undefined,
  };
}
