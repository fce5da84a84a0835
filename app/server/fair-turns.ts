// Bounded work per turn of the event loop. libuv accepts one new connection per turn (since
// 1.45: libuv/libuv#3696), and a turn serves every connection whose request has arrived; with a
// thousand busy keep-alive connections answered from memory, a turn lasts long enough that new
// connections wait seconds in the accept queue (measured: 600 waiting, drained at ~20 a second).
// Starting at most TURN_SIZE requests per turn keeps turns short, so new connections are accepted
// within milliseconds, at no cost in throughput; the rest wait their turn, first come first served.

const TURN_SIZE = 16;
/**
 * Under a load that never lets the queue empty (a thousand keep-alive clients each sending their
 * next request as soon as answered), the queue's array is cut down to what still waits once this
 * many have started: it grows by one slot per request of a busy period otherwise.
 */
const COMPACT_AFTER = 1024;

export function createFairTurns(turnSize = TURN_SIZE): (run: () => void) => void {
  let startedThisTurn = 0;
  let waiting: Array<(() => void) | undefined> = [];
  let next = 0;
  let scheduled = false;

  const turn = () => {
    scheduled = false;
    startedThisTurn = 0;
    while (startedThisTurn < turnSize && next < waiting.length) {
      startedThisTurn++;
      // A task leaves the queue as it starts: it holds its request and response, which would
      // otherwise outlive the answer by as long as the queue stays busy, long enough to be moved
      // to the old generation (measured at 1000 connections: ~2 MB a second, collected only by
      // full collections).
      const run = waiting[next]!;
      waiting[next++] = undefined;
      run();
    }
    if (next === waiting.length) {
      waiting = [];
      next = 0;
    } else {
      if (next >= COMPACT_AFTER) {
        waiting = waiting.slice(next);
        next = 0;
      }
      schedule();
    }
  };
  // An immediate queued from inside an immediate runs on the next turn of the loop, after it has
  // polled for I/O (and accepted a connection).
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(turn);
  };

  return (run) => {
    if (startedThisTurn < turnSize && next === waiting.length) {
      startedThisTurn++;
      run();
    } else {
      waiting.push(run);
    }
    schedule();
  };
}
