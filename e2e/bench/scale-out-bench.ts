import { startPgBouncer } from "../../db/test/topology/pgbouncer.js";
import { type HttpFigure, load } from "./http-bench.js";
import { type RunningServer, startApp } from "./servers.js";

// `--instances N --pooler`: the defaults and user endpoints against N instances at once, every
// instance's DATABASE_URL at Debian's PgBouncer in transaction mode (DATABASE_DIRECT_URL at the
// server), the connections split evenly. The figures are the sums over the instances.

export interface ScaleOutFigures {
  instances: number;
  pooler: boolean;
  http: HttpFigure[];
}

function combine(target: string, parts: HttpFigure[]): HttpFigure {
  const sum = (pick: (f: HttpFigure) => number) => parts.reduce((total, f) => total + pick(f), 0);
  const worst = (pick: (f: HttpFigure) => number) => Math.max(...parts.map(pick));
  const requests = sum((f) => f.requests);
  return {
    target,
    connections: sum((f) => f.connections),
    seconds: parts[0]!.seconds,
    requestsPerSecond: sum((f) => f.requestsPerSecond),
    // Latencies of the slowest instance: an honest upper bound without the raw samples.
    latencyMs: {
      p50: worst((f) => f.latencyMs.p50),
      p97_5: worst((f) => f.latencyMs.p97_5),
      p99: worst((f) => f.latencyMs.p99),
      max: worst((f) => f.latencyMs.max),
    },
    requests,
    errors: sum((f) => f.errors),
    timeouts: sum((f) => f.timeouts),
    non2xx: sum((f) => f.non2xx),
    peakRssMb: sum((f) => f.peakRssMb ?? 0) || null,
    cpu: {
      serverUsPerRequest: parts.some((f) => f.cpu.serverUsPerRequest === null)
        ? null
        : sum((f) => f.cpu.serverUsPerRequest! * f.requests) / Math.max(1, requests),
      serverCores: parts.some((f) => f.cpu.serverCores === null) ? null : sum((f) => f.cpu.serverCores!),
      // The loads ran at once from this one process: each part measured the whole of it.
      loadGeneratorCores: worst((f) => f.cpu.loadGeneratorCores),
    },
  };
}

export async function scaleOutLoad(options: {
  databaseUrl: string;
  env: Record<string, string>;
  instances: number;
  pooler: boolean;
  connections: number;
  seconds: number;
  firstPort: number;
  nextUser: () => { path: string; headers: Record<string, string> };
}): Promise<ScaleOutFigures> {
  const bouncer = options.pooler ? await startPgBouncer({ poolSize: 10 }) : null;
  const env = {
    ...options.env,
    DATABASE_URL: bouncer ? bouncer.through(options.databaseUrl) : options.databaseUrl,
    DATABASE_DIRECT_URL: options.databaseUrl,
  };
  const servers: RunningServer[] = [];
  try {
    for (let i = 0; i < options.instances; i++) servers.push(await startApp(options.firstPort + i, env));
    const each = Math.max(1, Math.floor(options.connections / options.instances));
    const across = async (
      target: string,
      path: string,
      vary?: () => { path: string; headers: Record<string, string> },
    ) =>
      combine(
        `${target} (${options.instances} instances${bouncer ? ", PgBouncer" : ""})`,
        await Promise.all(
          servers.map((server) => load({ target, server, path, connections: each, seconds: options.seconds, vary })),
        ),
      );
    return {
      instances: options.instances,
      pooler: bouncer !== null,
      http: [
        await across("GET /api/symbols/defaults", "/api/symbols/defaults"),
        await across("GET /api/users/{id}/symbols", options.nextUser().path, options.nextUser),
      ],
    };
  } finally {
    for (const server of servers) await server.stop();
    await bouncer?.stop();
  }
}
