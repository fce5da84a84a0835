import http from "node:http";
import type { AddressInfo } from "node:net";
import { createConsoleServer } from "~/server/console-server";
import { api } from "./test-harness";

// The API behind the real server (console-server.ts), as console-instance.ts mounts it, for the tests that
// compare an answer written from the socket (`direct`) with the usual path's. It counts the
// requests a direct answer took.

export interface Answer {
  status: number;
  /** Every header but those of the connection and the date. */
  headers: Record<string, string>;
  body: string;
}

export interface DirectTestServer {
  /** A header given as a list is sent once per value. */
  get(path: string, headers?: Record<string, string | string[]>): Promise<Answer>;
  /** Requests answered directly so far. */
  readonly direct: number;
  close(): Promise<void>;
}

export async function startDirectTestServer(): Promise<DirectTestServer> {
  let direct = 0;
  const server = createConsoleServer({
    handle: async (request) => (await api.handle(request)) ?? new Response("not an API route", { status: 404 }),
    isApi: api.matches,
    direct: (target, req, res, https, limited) => {
      const answering = api.direct(target, req, res, https, limited);
      if (answering) direct++;
      return answering;
    },
    maxInProgress: 8,
    maxPerClient: 8,
    trustProxy: 0,
    sessionCookies: [],
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    get: (path, headers = {}) => get(port, path, headers),
    get direct() {
      return direct;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function get(port: number, path: string, headers: Record<string, string | string[]>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, headers }, (res) => {
        let body = "";
        res.setEncoding("latin1");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          const { date: _date, connection: _connection, "keep-alive": _keepAlive, ...rest } = res.headers;
          resolve({ status: res.statusCode!, headers: rest as Record<string, string>, body });
        });
      })
      .on("error", reject);
  });
}
