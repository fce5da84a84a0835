import { fork, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { listInstances } from "../../db/broadcast/control.js";
import { listBroadcastQueue } from "../../db/queries/broadcast-list.js";
import type { Dataset } from "./datasets.js";
import { benchQueries, CRITICAL_QUERIES } from "./query-bench.js";
import { cpuSeconds, type RunningServer, startApp, startRawWs } from "./servers.js";
import type { ClientCommand, ClientReport, Recording } from "./ws-load-clients.js";

// The broadcast section of `npm run bench`: N WebSocket clients (half on the defaults, half
// subscribed to the top 100 of the broadcast queue) on /ws/symbols with cycles every second,
// then the same clients on a bare `ws` server replaying the very bytes they received (the
// floor). The clients run in a process of their own; the servers each in theirs, so their CPU
// and memory are read from /proc. While Symbol Desk's broadcaster stamps, the seed's three
// critical queries are timed on the same database.

const HERE = path.dirname(fileURLToPath(import.meta.url));
const INTERVAL_MS = 1000;
const TOP = 100;
/** Connections the server and the client process each hold besides the clients' sockets. */
const FD_SPARE = 200;
const CLIENTS_PER_PROCESS = 2_500;

export interface BroadcastFigure {
  target: string;
  clients: number;
  opened: number;
  failed: number;
  openSeconds: number;
  seconds: number;
  messagesPerSecond: number;
  megabytesPerSecond: number;
  delayMs: { p50: number; p99: number; max: number };
  cyclesSeen: number;
  missedCycles: number;
  closedDuringRun: number;
  cpuPercent: number | null;
  peakRssMb: number | null;
  clientProcesses: number;
  /**
   * The client processes' CPU over the window, in % of one core (summed): near 100 × processes, they set the
   * delays.
   */
  clientCpuPercent: number;
  /**
   * The machine's 1-minute load average at the window's end: on a shared machine, what the delays must be read
   * against.
   */
  loadAverage: number;
  queries: Array<{ query: string; medianMs: number; seedTargetMs: number | null }>;
}

export interface BroadcastSection {
  seconds: number;
  fdLimit: number;
  notes: string[];
  figures: BroadcastFigure[];
}

function fdLimit(): number {
  const out = spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).stdout.trim();
  return out === "unlimited" ? Number.POSITIVE_INFINITY : Number(out);
}

class ClientProcess {
  private readonly child = fork(path.join(HERE, "ws-load-clients.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });

  private command<T extends ClientReport["type"]>(
    command: ClientCommand,
    answer: T,
  ): Promise<Extract<ClientReport, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (report: ClientReport) => {
        if (report.type !== answer) return;
        this.child.off("message", onMessage);
        this.child.off("exit", onExit);
        resolve(report as Extract<ClientReport, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`the client process exited with ${code}`));
      this.child.on("message", onMessage);
      this.child.once("exit", onExit);
      this.child.send(command);
    });
  }

  open(url: string, from: number, clients: number, tickers: string[], record: boolean) {
    return this.command({ type: "open", url, from, clients, tickers, record }, "opened");
  }

  measure(seconds: number) {
    return this.command({ type: "measure", seconds }, "measured");
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.send({ type: "close" } satisfies ClientCommand);
    await exited;
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * The clients, shared by several processes of CLIENTS_PER_PROCESS at most: one event loop reads
 * its sockets one after another, and at 10k clients that queue alone would be most of the delay.
 */
class ClientProcesses {
  private readonly processes: ClientProcess[];
  private readonly shares: number[];

  constructor(private readonly clients: number) {
    const count = Math.max(1, Math.ceil(clients / CLIENTS_PER_PROCESS));
    this.processes = Array.from({ length: count }, () => new ClientProcess());
    this.shares = this.processes.map(
      (_, i) => Math.floor(((i + 1) * clients) / count) - Math.floor((i * clients) / count),
    );
  }

  get count(): number {
    return this.processes.length;
  }

  async open(url: string, tickers: string[], record: boolean) {
    // One process after another: opening is not measured, and each gets the whole machine for it.
    const opened = [];
    let from = 0;
    for (const [i, share] of this.shares.entries()) {
      opened.push(await this.processes[i]!.open(url, from, share, tickers, record && i === 0));
      from += share;
    }
    return {
      opened: opened.reduce((sum, o) => sum + o.opened, 0),
      failed: opened.reduce((sum, o) => sum + o.failed, 0),
      firstError: opened.find((o) => o.firstError)?.firstError ?? null,
      seconds: opened.reduce((sum, o) => sum + o.seconds, 0),
    };
  }

  async measure(seconds: number) {
    const reports = await Promise.all(this.processes.map((p) => p.measure(seconds)));
    const sorted = Float64Array.from(reports.flatMap((r) => r.delaysMs)).sort();
    return {
      seconds: Math.max(...reports.map((r) => r.seconds)),
      messages: reports.reduce((sum, r) => sum + r.messages, 0),
      bytes: reports.reduce((sum, r) => sum + r.bytes, 0),
      delaysMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN },
      cyclesSeen: new Set(reports.flatMap((r) => r.cycles)).size,
      closed: reports.reduce((sum, r) => sum + r.closed, 0),
      cpuMs: reports.reduce((sum, r) => sum + r.cpuMs, 0),
      recording: reports[0]!.recording,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.close()));
  }
}

interface Window {
  server: RunningServer;
  clients: number;
  tickers: string[];
  seconds: number;
  record: boolean;
  missed: () => Promise<number>;
  during?: () => Promise<BroadcastFigure["queries"]>;
}

async function measureWindow(target: string, w: Window, log: (line: string) => void) {
  const clients = new ClientProcesses(w.clients);
  try {
    const wsUrl = `${w.server.url.replace(/^http/, "ws")}/ws/symbols`;
    const opened = await clients.open(wsUrl, w.tickers, w.record);
    log(
      `    ${target}: ${opened.opened} clients open in ${opened.seconds.toFixed(1)} s from ${clients.count} ` +
        `process(es) (${opened.failed} failed)`,
    );
    if (opened.failed > 0) log(`      first failure: ${opened.firstError}`);
    // Two cycles for the subscriptions to settle before the window opens.
    await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS));
    const missedBefore = await w.missed();
    const cpuBefore = cpuSeconds(w.server.process.pid);
    let peakRss = w.server.rssMb() ?? 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, w.server.rssMb() ?? 0)), 250);
    const [measured, queries] = await Promise.all([
      clients.measure(w.seconds),
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
        return w.during ? w.during() : [];
      })(),
    ]);
    clearInterval(sampler);
    const cpuAfter = cpuSeconds(w.server.process.pid);
    const figure: BroadcastFigure = {
      target,
      clients: w.clients,
      opened: opened.opened,
      failed: opened.failed,
      openSeconds: opened.seconds,
      seconds: measured.seconds,
      messagesPerSecond: measured.messages / measured.seconds,
      megabytesPerSecond: measured.bytes / measured.seconds / 1e6,
      delayMs: measured.delaysMs,
      cyclesSeen: measured.cyclesSeen,
      missedCycles: (await w.missed()) - missedBefore,
      closedDuringRun: measured.closed,
      cpuPercent: cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) / measured.seconds) * 100,
      peakRssMb: peakRss || null,
      clientProcesses: clients.count,
      clientCpuPercent: (measured.cpuMs / 1000 / measured.seconds) * 100,
      loadAverage: os.loadavg()[0]!,
      queries,
    };
    return { figure, recording: measured.recording };
  } finally {
    await clients.close();
  }
}

export async function broadcastBench(options: {
  dataset: Dataset;
  clientCounts: number[];
  seconds: number;
  queryRuns: number;
  env: Record<string, string>;
  firstPort: number;
  outDir: string;
  log: (line: string) => void;
}): Promise<BroadcastSection> {
  const { dataset, seconds, log } = options;
  const limit = fdLimit();
  const notes: string[] = [];
  const top = [...new Set((await listBroadcastQueue(dataset.conn.db, { limit: TOP })).map((row) => row.ticker))];
  const figures: BroadcastFigure[] = [];
  for (const wanted of options.clientCounts) {
    // Each side holds one descriptor per client: the server its sockets, the client process its own.
    const clients = Math.min(wanted, limit - FD_SPARE);
    if (clients < wanted) {
      notes.push(
        `${wanted.toLocaleString("en")} clients asked, ${clients.toLocaleString("en")} opened: the open-files limit ` +
          `(ulimit -n) is ${limit}; raise it (ulimit -n ${wanted + 2 * FD_SPARE}) to open them all.`,
      );
    }
    log(`Broadcast: ${clients.toLocaleString("en")} clients, ${seconds} s, a cycle every ${INTERVAL_MS} ms`);
    const app = await startApp(options.firstPort, {
      ...options.env,
      BROADCASTER_IN_PROCESS: "true",
      BROADCAST_INTERVAL_MS: String(INTERVAL_MS),
    });
    let recording: Recording | null = null;
    try {
      const missed = async () => {
        const [instance] = await listInstances(dataset.conn.db);
        return instance?.stats.missedCycles ?? 0;
      };
      const measured = await measureWindow(
        "Symbol Desk /ws/symbols",
        {
          server: app,
          clients,
          tickers: top,
          seconds,
          record: true,
          missed,
          during: async () =>
            (await benchQueries(dataset, options.queryRuns, CRITICAL_QUERIES)).map((q) => ({
              query: q.query,
              medianMs: q.execution.median,
              seedTargetMs: q.seedTargetMs,
            })),
        },
        log,
      );
      figures.push(measured.figure);
      recording = measured.recording;
    } finally {
      await app.stop();
    }
    const recordingFile = path.join(options.outDir, `broadcast-recording-${clients}.json`);
    writeFileSync(recordingFile, JSON.stringify(recording));
    const raw = await startRawWs(options.firstPort + 1, {
      RECORDING_FILE: recordingFile,
      BROADCAST_INTERVAL_MS: String(INTERVAL_MS),
    });
    try {
      const missed = async () =>
        ((await (await fetch(`${raw.url}/stats`)).json()) as { missedCycles: number }).missedCycles;
      const measured = await measureWindow(
        "raw ws (floor)",
        { server: raw, clients, tickers: top, seconds, record: false, missed },
        log,
      );
      figures.push(measured.figure);
    } finally {
      await raw.stop();
    }
  }
  if (os.cpus().length < 4) {
    notes.push(
      `${os.cpus().length} cores: the clients, the server and PostgreSQL share them, ` +
        `so delays include the clients' own turns.`,
    );
  }
  return { seconds, fdLimit: limit, notes, figures };
}

/** The goals of the issue, judged per client count: Symbol Desk against the floor run beside it. */
export function judgeBroadcast(section: BroadcastSection) {
  const verdicts = [];
  for (const app of section.figures.filter((f) => !f.target.startsWith("raw"))) {
    const floor = section.figures.find((f) => f.target.startsWith("raw") && f.clients === app.clients);
    const ratio = floor && floor.messagesPerSecond > 0 ? app.messagesPerSecond / floor.messagesPerSecond : null;
    verdicts.push({
      clients: app.clients,
      ratio,
      ratioOk: ratio !== null && ratio >= 0.8,
      p99Ok: app.delayMs.p99 <= 100,
      /** What the machine allows: the floor's p99 with the same clients, in the same run. */
      floorP99: floor?.delayMs.p99 ?? null,
      noMissedCycle: app.missedCycles === 0,
      queriesOk: app.queries.every((q) => q.seedTargetMs === null || q.medianMs < q.seedTargetMs),
    });
  }
  return verdicts;
}
