import autocannon from "autocannon";
import { type RunningServer, treeCpuSeconds } from "./servers.js";

// One autocannon run, with the server's memory sampled while it lasts and the CPU both sides used.

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
  cpu: LoadCpu;
}

/**
 * The CPU of the run, from /proc: what the server spent per request answered, and how much of a
 * core the server and the load generator (autocannon, in this process) each kept busy. On a small
 * machine both share the cores: a load generator near one whole core bounds the throughput itself,
 * and then the server's time per request tells two servers apart where their req/s cannot.
 */
export interface LoadCpu {
  serverUsPerRequest: number | null;
  serverCores: number | null;
  loadGeneratorCores: number;
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
  const serverCpuBefore = treeCpuSeconds(options.server.process.pid);
  const ownCpuBefore = process.cpuUsage();
  const startedAt = performance.now();
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
      cpu: cpuOfRun(options.server, serverCpuBefore, ownCpuBefore, startedAt, result.requests.total),
    };
  } finally {
    clearInterval(sampler);
  }
}

function cpuOfRun(
  server: RunningServer,
  serverBefore: number | null,
  ownBefore: NodeJS.CpuUsage,
  startedAt: number,
  requests: number,
): LoadCpu {
  const seconds = (performance.now() - startedAt) / 1000;
  const serverAfter = treeCpuSeconds(server.process.pid);
  const serverUsed = serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore;
  const own = process.cpuUsage(ownBefore);
  return {
    serverUsPerRequest: serverUsed === null || requests === 0 ? null : (serverUsed / requests) * 1e6,
    serverCores: serverUsed === null ? null : serverUsed / seconds,
    loadGeneratorCores: (own.user + own.system) / 1e6 / seconds,
  };
}
