// At most `max` requests in progress at once; the rest wait, and one whose client has gone away
// by its turn is dropped without being started. Without a bound, a thousand clients each start a
// page (a few queries, a React render: ~20 ms of CPU) and, when they give up, the process goes on
// rendering for them for tens of seconds; with it, what is in progress stays small, and so do the
// pool's waits.
//
// Waiting requests are queued per client address and served in turns across addresses, and an
// address holds at most `perClient` places while another address waits. So one address that
// floods the server (or a thousand connections behind one NAT) delays the others by one request
// each, not by its whole queue. While nobody else waits it may use every place: the benchmark's
// thousand connections from one address still keep the whole limit busy.

export interface ConcurrencyLimit {
  /** Runs `task` once a place is free, unless `abandoned()` says by then that no one is waiting for it. */
  run(task: () => Promise<void>, abandoned: () => boolean, client?: string): void;
  readonly active: number;
  readonly waiting: number;
  /** Places held by one client address. */
  activeFor(client: string): number;
  /** Resolves once nothing is in progress: a task goes on when its client has gone away. */
  settled(): Promise<void>;
}

interface Waiting {
  task: () => Promise<void>;
  abandoned: () => boolean;
}

interface ClientState {
  active: number;
  queue: Waiting[];
}

export function createConcurrencyLimit(max: number, perClient = max): ConcurrencyLimit {
  let active = 0;
  let waiting = 0;
  const clients = new Map<string, ClientState>();
  /** Addresses with something queued, in the order their turn comes. */
  let turns: string[] = [];
  let whenSettled: (() => void)[] = [];

  const stateOf = (client: string): ClientState => {
    let state = clients.get(client);
    if (!state) {
      state = { active: 0, queue: [] };
      clients.set(client, state);
    }
    return state;
  };
  const forget = (client: string, state: ClientState) => {
    if (state.active === 0 && state.queue.length === 0) clients.delete(client);
  };

  const start = (client: string, state: ClientState, task: () => Promise<void>) => {
    active++;
    state.active++;
    task()
      .catch(() => {})
      .finally(() => {
        active--;
        state.active--;
        forget(client, state);
        next();
        if (active === 0 && whenSettled.length > 0) {
          for (const resolve of whenSettled) resolve();
          whenSettled = [];
        }
      });
  };

  /** The address whose turn it is: the first under its share, else (nobody else waits) the first. */
  const nextClient = (): string | undefined => {
    const underShare = turns.find((client) => stateOf(client).active < perClient);
    return underShare ?? turns[0];
  };

  const next = () => {
    while (active < max && turns.length > 0) {
      const client = nextClient()!;
      const state = stateOf(client);
      const entry = state.queue.shift()!;
      waiting--;
      turns = turns.filter((c) => c !== client);
      if (state.queue.length > 0) turns.push(client);
      if (entry.abandoned()) forget(client, state);
      else start(client, state, entry.task);
    }
  };

  return {
    run(task, abandoned, client = "") {
      const state = stateOf(client);
      if (active < max && waiting === 0) {
        start(client, state, task);
        return;
      }
      if (state.queue.length === 0) turns.push(client);
      state.queue.push({ task, abandoned });
      waiting++;
      // A place may be free while others wait (everyone waiting was over their share).
      next();
    },
    get active() {
      return active;
    },
    get waiting() {
      return waiting;
    },
    activeFor(client) {
      return clients.get(client)?.active ?? 0;
    },
    settled() {
      // Nothing in progress means nothing waits either: a freed place goes to the next in line.
      return active === 0 ? Promise.resolve() : new Promise((resolve) => whenSettled.push(resolve));
    },
  };
}
