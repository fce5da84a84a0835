// At most `max` requests in progress at once; the rest wait, first come first served, and one
// whose client has gone away by its turn is dropped without being started. Without a bound, a
// thousand clients each start a page (a few queries, a React render: ~20 ms of CPU) and, when
// they give up, the process goes on rendering for them for tens of seconds; with it, what is in
// progress stays small, and so do the pool's waits.

export interface ConcurrencyLimit {
  /** Runs `task` once a place is free, unless `abandoned()` says by then that no one is waiting for it. */
  run(task: () => Promise<void>, abandoned: () => boolean): void;
  readonly active: number;
  readonly waiting: number;
}

export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  let active = 0;
  const queue: Array<{ task: () => Promise<void>; abandoned: () => boolean }> = [];

  const start = (task: () => Promise<void>) => {
    active++;
    task()
      .catch(() => {})
      .finally(() => {
        active--;
        next();
      });
  };
  const next = () => {
    while (active < max && queue.length > 0) {
      const waiting = queue.shift()!;
      if (!waiting.abandoned()) start(waiting.task);
    }
  };

  return {
    run(task, abandoned) {
      if (active < max && queue.length === 0) start(task);
      else queue.push({ task, abandoned });
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
