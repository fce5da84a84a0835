import type http from "node:http";

// A server that stops takes no new connections and ends each open one once it is idle. Node's
// server.close() closes the idle connections once, but keeps serving a kept-alive connection in
// use, and a client that asks again and again (an open page's banner, twice a second) would keep
// it open until the shutdown's grace ran out and the database closed under its next request. So
// every answer from the stop on closes its connection, and a connection whose answer began before
// the stop is closed as soon as that answer is written. A request whose client has gone away (its
// connection is closed) may still be at work, on the database: the drain waits for that as well.

const IDLE_SWEEP_MS = 100;

/**
 * Resolves once every connection has ended (each request in flight answered, no other taken) and
 * then `workSettled` has: the work of requests whose clients left.
 */
export function drainServer(server: http.Server, workSettled: () => Promise<void>): Promise<void> {
  server.prependListener("request", (_req: http.IncomingMessage, res: http.ServerResponse) =>
    res.setHeader("Connection", "close"),
  );
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  return closed.finally(() => clearInterval(sweep)).then(workSettled);
}
