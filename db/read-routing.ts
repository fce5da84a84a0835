import { type Kysely, sql } from "kysely";
import type { Listener } from "./notifications.js";
import { isReplicaFailure, type Replica } from "./replica.js";
import type { Database } from "./schema.js";

// Which server answers a read. Reads that may be a few seconds old go to the replica when it is
// usable; a caller that has just written (a user's API write, a staff member's edit) reads the
// primary for a while, so it always sees its own change (read-your-writes). The "read the
// primary until" marker is kept in memory and announced to every instance with NOTIFY, so an
// instance that did not take the write knows it too; while that announcement cannot be heard
// (no listening session), every scoped read goes to the primary.

/** Announces "read the primary for a while" for a scope; payload: the scope. */
export const READ_PRIMARY_CHANNEL = "symbol_desk_read_primary";

export interface ReadRouter {
  read<T>(scope: string | null, work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  wrote(scope: string): Promise<void>;
  /** Hears the other instances' markers (called with the channel's payloads). */
  heard(scope: string): void;
  setListener(listener: Promise<Listener | null>): void;
}

/** The cost of a marker held in memory for one scope; old ones are dropped as they expire. */
const MAX_MARKERS = 100_000;

export function createReadRouter(primary: Kysely<Database>, replica: Replica, windowMs: number): ReadRouter {
  const until = new Map<string, number>();
  let listener: Listener | null = null;

  const mark = (scope: string) => {
    if (until.size >= MAX_MARKERS) {
      const now = Date.now();
      for (const [key, at] of until) if (at <= now) until.delete(key);
    }
    until.set(scope, Date.now() + windowMs);
  };
  const marked = (scope: string) => {
    const at = until.get(scope);
    if (at === undefined) return false;
    if (at > Date.now()) return true;
    until.delete(scope);
    return false;
  };

  return {
    async read(scope, work) {
      const toPrimary = !replica.usable() || (scope !== null && (!listener?.live || marked(scope)));
      if (toPrimary) {
        replica.counted("primary");
        return work(primary);
      }
      try {
        const result = await work(replica.db);
        replica.counted("replica");
        return result;
      } catch (error) {
        if (!isReplicaFailure(error)) throw error;
        replica.failed(error);
        replica.counted("primary");
        return work(primary);
      }
    },
    async wrote(scope) {
      mark(scope);
      // The write itself has committed: a failed announcement costs other instances' freshness, not the answer.
      await sql`select pg_notify(${READ_PRIMARY_CHANNEL}, ${scope})`.execute(primary).catch((error: unknown) => {
        console.error(`[db] read-your-writes marker not announced: ${error instanceof Error ? error.message : error}`);
      });
    },
    heard: mark,
    setListener(opening) {
      void opening.then((l) => {
        listener = l;
      });
    },
  };
}
