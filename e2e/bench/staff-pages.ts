import http from "node:http";
import { percentile } from "./stats.js";
import { type Timed, timedGet } from "./timed-get.js";

// Every staff page as one signed-in admin sees it: one connection, one request at a time, each
// page's first request after the server started reported apart and counted in its percentiles.

export const STAFF_PAGES = [
  "/",
  "/symbols",
  "/symbols/defaults",
  "/quality",
  "/readiness",
  "/performance",
  "/broadcast",
  "/migrations",
  "/audit",
  "/users",
  "/staff",
  "/providers",
] as const;

export interface StaffPageFigure {
  path: string;
  firstMs: number;
  firstStatus: number;
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non200: number;
}

/**
 * A first load may take long on a big catalogue: it gets a minute. No answer (a timeout, a reset)
 * is recorded as status 0 at the time it took, so the table shows it instead of the bench stopping.
 */
async function timeOnce(agent: http.Agent, url: string, cookie: string): Promise<Timed> {
  const started = performance.now();
  try {
    return await timedGet(agent, url, { cookie, "accept-encoding": "gzip" }, 60_000);
  } catch {
    return { status: 0, ms: performance.now() - started, bytes: 0 };
  }
}

/** Call on a server that has answered no page yet: the first pass is every page's first load. */
export async function timeStaffPages(baseUrl: string, cookie: string, rounds: number): Promise<StaffPageFigure[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const timings = new Map<string, Timed[]>(STAFF_PAGES.map((page) => [page, []]));
  try {
    // Round after round over all pages rather than one page at a time, so the server's
    // background refreshes fall on every page alike.
    for (let round = 0; round <= rounds; round++) {
      for (const page of STAFF_PAGES) timings.get(page)!.push(await timeOnce(agent, `${baseUrl}${page}`, cookie));
    }
  } finally {
    agent.destroy();
  }
  return STAFF_PAGES.map((path) => {
    const all = timings.get(path)!;
    const ms = all.map((t) => t.ms);
    return {
      path,
      firstMs: all[0]!.ms,
      firstStatus: all[0]!.status,
      samples: all.length,
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
      p99: percentile(ms, 99),
      max: Math.max(...ms),
      non200: all.filter((t) => t.status !== 200).length,
    };
  });
}
