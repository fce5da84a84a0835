import { parseArgs } from "node:util";
import { openDatabase } from "../../db/client.js";
import { staffCookie } from "./auth.js";
import { makeDataset } from "./datasets.js";
import { startApp } from "./servers.js";
import { ms, summarize } from "./stats.js";

// The staff pages' answer times at scale, one staff member at a time: the first load of each
// page right after the server starts, then `--runs` loads each, p50 and p95. Times are taken at
// the client over loopback (the whole HTML body read), so they are the server's time plus a
// fraction of a millisecond.
//
//   npx tsx e2e/bench/page-times.ts [--symbols 100000] [--runs 40] [--database-url URL] [--keep]
//
// Without --database-url a fresh PostgreSQL database is loaded (ten preferences per user, one
// user per symbol: 1M preferences at 100k symbols) and dropped at the end unless --keep.

const PAGES = ["/", "/quality", "/readiness", "/performance"];
const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3600);

const { values } = parseArgs({
  options: {
    symbols: { type: "string", default: "100000" },
    runs: { type: "string", default: "40" },
    "database-url": { type: "string" },
    keep: { type: "boolean", default: false },
    starts: { type: "string", default: "2" },
  },
});

async function timeGet(url: string, cookie: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
  await response.text();
  return { ms: performance.now() - started, status: response.status };
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(line);
  const dataset = values["database-url"]
    ? null
    : await makeDataset(Number(values.symbols), (line) => log(line.trimStart()));
  const url = values["database-url"] ?? dataset!.url;
  if (dataset) log(`loaded ${values.symbols} symbols in ${dataset.loadSeconds.toFixed(0)} s: ${url}`);
  const conn = dataset?.conn ?? (await openDatabase({ databaseUrl: url, poolSize: 2 }));
  const runs = Number(values.runs);
  try {
    for (let start = 1; start <= Number(values.starts); start++) {
      const app = await startApp(PORT_BASE + 5, { DATABASE_URL: url, SESSION_SECRET: "page-times-bench-secret" });
      try {
        const cookie = await staffCookie(conn.db, app.url);
        log(`\nserver start ${start}: first load of each page`);
        for (const page of PAGES) {
          const first = await timeGet(app.url + page, cookie);
          log(`  ${page.padEnd(13)} ${first.status} ${ms(first.ms, 1)}`);
        }
        log(`server start ${start}: ${runs} loads of each page, one at a time`);
        for (const page of PAGES) {
          const times: number[] = [];
          const statuses = new Set<number>();
          for (let i = 0; i < runs; i++) {
            const t = await timeGet(app.url + page, cookie);
            times.push(t.ms);
            statuses.add(t.status);
          }
          const s = summarize(times);
          log(
            `  ${page.padEnd(13)} p50 ${ms(s.median, 1)}  p95 ${ms(s.p95, 1)}  max ${ms(s.max, 1)}  status ${[...statuses].join(",")}`,
          );
        }
      } finally {
        await app.stop();
      }
    }
  } finally {
    if (!dataset) await conn.close();
    else if (!values.keep) await dataset.drop();
    else await dataset.conn.close();
  }
}

await main();
