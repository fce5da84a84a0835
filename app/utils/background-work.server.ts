// The server's background loops (the stored page snapshots, the scheduled checks, the rollback
// banner) run through here, so that a stopping server can wait for them: a tick still reading
// when the database closed would fail against the closed pool and log an error for nothing. Once
// stopped, no timer fires and no new work starts; the work in flight is awaited.

interface BackgroundWork {
  timers: Set<NodeJS.Timeout>;
  running: Set<Promise<unknown>>;
  stopped: boolean;
}

declare global {
  var __symbolDeskBackgroundWork: BackgroundWork | undefined;
}

const work = (): BackgroundWork =>
  (globalThis.__symbolDeskBackgroundWork ??= { timers: new Set(), running: new Set(), stopped: false });

/** Runs `task` now, unless the server is stopping; a stop waits for it. Its failure is the task's to log. */
export function runInBackground(task: () => Promise<unknown>): void {
  const w = work();
  if (w.stopped) return;
  const running = task().catch(() => {});
  w.running.add(running);
  void running.finally(() => w.running.delete(running));
}

/** Runs `task` every `ms` (and once after `firstAfterMs`, when given). unref: never keeps a process alive. */
export function runEvery(ms: number, task: () => Promise<unknown>, firstAfterMs?: number): void {
  const w = work();
  if (w.stopped) return;
  w.timers.add(setInterval(() => runInBackground(task), ms).unref());
  if (firstAfterMs !== undefined) runLater(firstAfterMs, task);
}

/** Runs `task` once after `ms`. */
export function runLater(ms: number, task: () => Promise<unknown>): void {
  const w = work();
  if (w.stopped) return;
  const timer = setTimeout(() => {
    w.timers.delete(timer);
    runInBackground(task);
  }, ms).unref();
  w.timers.add(timer);
}

/** Stops every timer and resolves once the work in flight has ended (the server's shutdown). */
export async function stopBackgroundWork(): Promise<void> {
  const w = work();
  w.stopped = true;
  for (const timer of w.timers) clearTimeout(timer);
  w.timers.clear();
  // Work in flight may start more (a refresh kicked off by a tick): wait until none is left.
  while (w.running.size > 0) await Promise.allSettled([...w.running]);
}
