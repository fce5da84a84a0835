import autocannon from "autocannon";
import type { RunningServer } from "./servers.js";

// One autocannon run, with the server's memory sampled while it lasts.

export interface HttpFigure {
  target: string;
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p97_5: number; p99: number; max: number };
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  peakRssMb: number | null;
}

export interface LoadOptions {
  target: string;
  server: RunningServer;
  path: string;
  connections: number;
  seconds: number;
  /** Called for each request, so load can spread over many users and tokens. */
  vary?: () => { path?: string; headers?: Record<string, string> };
  onResponse?: (status: number, latencyMs: number, bytes: number) => void;
  /** Keeps the load on until this settles (at most an hour), instead of for `seconds`. */
  until?: Promise<unknown>;
}

export async function load(options: LoadOptions): Promise<HttpFigure> {
  // One request first, so what is measured is the steady state, not a cold start (the first
  // console page after a start waits for the rollback triggers' first evaluation).
  const first = options.vary?.() ?? {};
  await (
    await fetch(`${options.server.url}${first.path ?? options.path}`, { headers: first.headers, redirect: "manual" })
  ).arrayBuffer();
  let peak: number | null = null;
  const sampler = setInterval(() => {
    const rss = options.server.rssMb();
    if (rss !== null) peak = Math.max(peak ?? 0, rss);
  }, 250);
  try {
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: `${options.server.url}${options.path}`,
          connections: options.connections,
          duration: options.until ? 3600 : options.seconds,
          timeout: 10,
          requests: options.vary
            ? [
                {
                  setupRequest: (request) => {
                    const change = options.vary!();
                    return {
                      ...request,
                      ...(change.path ? { path: change.path } : {}),
                      headers: { ...request.headers, ...change.headers },
                    };
                  },
                },
              ]
            : undefined,
        },
        (error, finished) => (error ? reject(error) : resolve(finished)),
      );
      void options.until?.finally(() => instance.stop());
      if (options.onResponse) {
        instance.on("response", (_client, statusCode, bytes, responseTime) =>
          options.onResponse!(statusCode, responseTime, bytes),
        );
      }
    });
    return {
      target: options.target,
      connections: options.connections,
      seconds: options.seconds,
      requestsPerSecond: result.requests.average,
      latencyMs: {
        p50: result.latency.p50,
        p97_5: result.latency.p97_5,
        p99: result.latency.p99,
        max: result.latency.max,
      },
      requests: result.requests.total,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      peakRssMb: peak,
    };
  } finally {
    clearInterval(sampler);
  }
}
