import http from "node:http";
import os from "node:os";
import { sql } from "kysely";
import { staffCookie } from "./auth.js";
import type { Dataset } from "./datasets.js";
import { ensurePeerPackages, PEER_WORKERS, startDjangoPeer } from "./django-peer.js";
import { type RunningServer, startApp } from "./servers.js";
import { type StaffPageFigure, timeStaffPages } from "./staff-pages.js";
import { percentile, type Summary, summarize } from "./stats.js";
import { TimeoutError, timedGet } from "./timed-get.js";

// /symbols against the Django admin changelist over the same tables (django-peer/): the same
// 50 rows in the same order, checked before and after the load, at 50 connections, in runs that
// alternate which goes first. Before any load, on a server just started, every staff page's
// server time at one connection.

export const PEER_CONNECTIONS = 50;

export interface PeerTargetFigure {
  target: string;
  path: string;
  /** Whole pages answered 200 per second, one value per run. */
  pagesPerSecond: Summary;
  /** Over every response of every run. */
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  responses: number;
  /** Socket errors, client timeouts and answers other than 200. */
  errors: number;
  non200: number;
  /** Answered 200 but far shorter than the checked page: cut off. */
  incomplete: number;
  timeouts: number;
  /** One page's HTML, decompressed, and a response's body as sent. */
  htmlKb: number;
  wireKb: number;
  peakRssMb: number | null;
}

export interface PeerSection {
  symbols: number;
  connections: number;
  seconds: number;
  runs: number;
  peer: string;
  desk: PeerTargetFigure;
  django: PeerTargetFigure | null;
  /** Why the Django side did not run, when it did not. */
  skipped: string | null;
  /** Symbol Desk's median pages/s over Django's. */
  ratio: number | null;
  staffRounds: number;
  staffPages: StaffPageFigure[];
  /** The machine's 1-minute load average as the comparison began and as it ended. */
  loadAverage: { before: number; after: number };
}

interface Target {
  name: string;
  server: RunningServer;
  path: string;
  headers: Record<string, string>;
  /** The ids of the rows a page lists, in order (each counted once). */
  rowIds: (html: string) => string[];
}

const distinct = (html: string, pattern: RegExp) => [...new Set([...html.matchAll(pattern)].map((m) => m[1]!))];

/**
 * The page must answer 200 with 50 rows (a redirect to the sign-in page is a failure here). Its
 * size as sent is the yardstick of the load's answers: one much shorter was cut off.
 */
async function checkPage(target: Target): Promise<{ ids: string[]; htmlKb: number; sentBytes: number }> {
  const url = `${target.server.url}${target.path}`;
  const response = await fetch(url, { headers: target.headers, redirect: "manual" });
  const html = await response.text();
  if (response.status !== 200) throw new Error(`${target.name} ${target.path} answered ${response.status}, not 200`);
  const ids = target.rowIds(html);
  if (ids.length !== 50) throw new Error(`${target.name} ${target.path} lists ${ids.length} rows, not 50`);
  const agent = new http.Agent();
  const sent = await timedGet(agent, url, target.headers).finally(() => agent.destroy());
  return { ids, htmlKb: Buffer.byteLength(html) / 1024, sentBytes: sent.bytes };
}

/**
 * `connections` clients, each asking again as soon as its answer has arrived, for `seconds`; then
 * the answers in flight are awaited and counted, and pages/s is every 200 over the whole time. A
 * cut at `seconds` would count nothing when a page takes longer than a run (a busy machine: all
 * 50 pages progress together and arrive together). Not autocannon: it writes the next request on
 * a connection gunicorn's sync workers close after each answer (`Connection: close`), and counts
 * resets a browser, opening a new connection, never meets.
 */
async function measure(target: Target, seconds: number, connections: number, sentBytes: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const url = `${target.server.url}${target.path}`;
  const start = performance.now();
  const end = start + seconds * 1000;
  const latencies: number[] = [];
  let [non200, incomplete, bytes, socketErrors, timeouts] = [0, 0, 0, 0, 0];
  let peakRssMb: number | null = null;
  const sampler = setInterval(() => {
    const rss = target.server.rssMb();
    if (rss !== null) peakRssMb = Math.max(peakRssMb ?? 0, rss);
  }, 250);
  const client = async () => {
    while (performance.now() < end) {
      try {
        const answer = await timedGet(agent, url, target.headers);
        latencies.push(answer.ms);
        bytes += answer.bytes;
        if (answer.status !== 200) non200++;
        // The page's size varies by a few bytes (timings, tokens); a cut-off answer is far shorter.
        else if (answer.bytes < 0.9 * sentBytes) incomplete++;
      } catch (error) {
        if (error instanceof TimeoutError) timeouts++;
        else socketErrors++;
      }
    }
  };
  let elapsedSeconds = seconds;
  try {
    await Promise.all(Array.from({ length: connections }, client));
    elapsedSeconds = (performance.now() - start) / 1000;
  } finally {
    clearInterval(sampler);
    agent.destroy();
  }
  return {
    latencies,
    non200,
    incomplete,
    bytes,
    socketErrors,
    timeouts,
    peakRssMb,
    elapsedSeconds,
    pagesPerSecond: (latencies.length - non200 - incomplete) / elapsedSeconds,
  };
}

type Measured = Awaited<ReturnType<typeof measure>>;

function summarizeTarget(target: Target, runs: Measured[], htmlKb: number): PeerTargetFigure {
  const latencies = runs.flatMap((r) => r.latencies);
  const non200 = runs.reduce((n, r) => n + r.non200, 0);
  const incomplete = runs.reduce((n, r) => n + r.incomplete, 0);
  const timeouts = runs.reduce((n, r) => n + r.timeouts, 0);
  const peaks = runs.map((r) => r.peakRssMb).filter((p) => p !== null);
  return {
    target: target.name,
    path: target.path,
    pagesPerSecond: summarize(runs.map((r) => r.pagesPerSecond)),
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.length > 0 ? Math.max(...latencies) : Number.NaN,
    },
    responses: latencies.length,
    errors: runs.reduce((n, r) => n + r.socketErrors, 0) + timeouts + non200 + incomplete,
    non200,
    incomplete,
    timeouts,
    htmlKb,
    wireKb: runs.reduce((n, r) => n + r.bytes, 0) / Math.max(1, latencies.length) / 1024,
    peakRssMb: peaks.length > 0 ? Math.max(...peaks) : null,
  };
}

export async function peerSection(options: {
  dataset: Dataset;
  env: Record<string, string>;
  appPort: number;
  peerPort: number;
  seconds: number;
  runs: number;
  staffRounds: number;
  log: (line: string) => void;
}): Promise<PeerSection> {
  const { dataset, log } = options;
  // A server of its own, so the staff pages' first loads are the first after a start.
  const app = await startApp(options.appPort, options.env);
  let peer: Awaited<ReturnType<typeof startDjangoPeer>> | null = null;
  try {
    // An admin sees every control of every page, as Django's superuser sees the editable list.
    const cookie = await staffCookie(dataset.conn.db, app.url, "admin");
    log(`Staff pages at 1 connection (${options.staffRounds} rounds after the first loads)`);
    const staffPages = await timeStaffPages(app.url, cookie, options.staffRounds);

    const desk: Target = {
      name: "Symbol Desk /symbols",
      server: app,
      path: "/symbols",
      headers: { cookie, "accept-encoding": "gzip" },
      rowIds: (html) => distinct(html, /href="\/symbols\/([0-9a-f-]{36})"/g),
    };
    const skipped = ensurePeerPackages(log);
    if (skipped) log(`Django peer skipped: ${skipped}. /symbols is measured alone.`);
    else {
      peer = await startDjangoPeer(dataset.url, options.peerPort);
      await expectNoDjangoTables(dataset);
    }
    const django: Target | null = peer && {
      name: `Django admin (gunicorn, ${PEER_WORKERS} sync workers)`,
      server: peer.server,
      path: peer.changelistPath,
      // The same request headers: Django's admin, as configured, answers uncompressed.
      headers: { cookie: peer.cookie, "accept-encoding": "gzip" },
      rowIds: (html) => {
        const editable = html.match(/name="form-\d+-broadcast_priority"/g)?.length ?? 0;
        // A page without the editable priority is not the page being compared.
        return editable === 50 ? distinct(html, /name="_selected_action" value="([0-9a-f-]{36})"/g) : [];
      },
    };
    const targets = django ? [desk, django] : [desk];

    const check = async () => {
      const [mine, theirs] = await Promise.all(targets.map(checkPage));
      if (theirs && mine!.ids.join() !== theirs.ids.join()) {
        throw new Error("/symbols and the Django changelist do not list the same 50 rows in the same order");
      }
      return { desk: mine!, django: theirs };
    };
    const pages = await check();
    const loadBefore = os.loadavg()[0]!;
    // A short unrecorded load first: Django's workers and V8 warm up before anything counts.
    const sentBytes = new Map<Target, number>([
      [desk, pages.desk.sentBytes],
      ...(django ? [[django, pages.django!.sentBytes] as const] : []),
    ]);
    for (const target of targets) await measure(target, 2, PEER_CONNECTIONS, sentBytes.get(target)!);
    const measured = new Map<Target, Measured[]>(targets.map((t) => [t, []]));
    for (let run = 0; run < options.runs; run++) {
      // Alternate which goes first, so a drift of the machine falls on both alike.
      for (const target of run % 2 === 0 ? targets : [...targets].reverse()) {
        log(`  ${target.name}: run ${run + 1}/${options.runs} (${PEER_CONNECTIONS} connections, ${options.seconds} s)`);
        measured.get(target)!.push(await measure(target, options.seconds, PEER_CONNECTIONS, sentBytes.get(target)!));
      }
    }
    await check();

    const deskFigure = summarizeTarget(desk, measured.get(desk)!, pages.desk.htmlKb);
    const djangoFigure = django ? summarizeTarget(django, measured.get(django)!, pages.django!.htmlKb) : null;
    return {
      symbols: dataset.symbols,
      connections: PEER_CONNECTIONS,
      seconds: options.seconds,
      runs: options.runs,
      peer: "Django admin changelist (django-peer/), gunicorn sync workers, Debian's packages",
      desk: deskFigure,
      django: djangoFigure,
      skipped,
      ratio:
        djangoFigure && djangoFigure.pagesPerSecond.median > 0
          ? deskFigure.pagesPerSecond.median / djangoFigure.pagesPerSecond.median
          : null,
      staffRounds: options.staffRounds,
      staffPages,
      loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
    };
  } finally {
    await peer?.stop();
    await app.stop();
  }
}

/** Django's own tables belong in its own database: none may appear beside the app's. */
async function expectNoDjangoTables(dataset: Dataset): Promise<void> {
  const found = await sql<{ name: string }>`
    select table_schema || '.' || table_name as name from information_schema.tables
    where starts_with(table_name, 'django_') or starts_with(table_name, 'auth_')`.execute(dataset.conn.db);
  if (found.rows.length > 0) {
    throw new Error(`Django's tables landed in the dataset database: ${found.rows.map((r) => r.name).join(", ")}`);
  }
}
