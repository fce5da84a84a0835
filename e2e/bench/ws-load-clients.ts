import { WebSocket } from "ws";

// The broadcast bench's clients, in processes of their own (forked by broadcast-bench.ts) so that
// the server measured never shares an event loop with them; several processes share the clients
// (each a contiguous range of indexes), so one event loop reading thousands of sockets in turn
// does not add its own queue to the delays. Even-numbered clients follow the defaults
// (anonymous); odd-numbered ones subscribe to the given tickers. Each `ticks` message's delay is
// its receipt time minus the `cycleStartedAt` it carries, read from the raw bytes without parsing
// the whole message and without UTF-8 validation, so each message costs this process little.
// The process reports its own CPU time over the window: near a whole core, the clients and not
// the server set the delays.
//
// Parent → child: {type:"open", url, from, clients, tickers, record} then {type:"measure", seconds},
// then {type:"close"}. Child → parent: {type:"opened", …} and {type:"measured", …}.

export type ClientCommand =
  | { type: "open"; url: string; from: number; clients: number; tickers: string[]; record: boolean }
  | { type: "measure"; seconds: number }
  | { type: "close" };

/** What two clients (one per group) received, cycle by cycle: the raw floor replays exactly these bytes. */
export interface Recording {
  defaults: Record<number, string>;
  tickers: Record<number, string>;
}

export type ClientReport =
  | { type: "opened"; opened: number; failed: number; firstError: string | null; seconds: number }
  | {
      type: "measured";
      seconds: number;
      messages: number;
      bytes: number;
      /** Every delay seen, in ms: the parent merges the processes' before taking percentiles. */
      delaysMs: number[];
      cycles: number[];
      /** Clients that were open at the start of the window and closed during it. */
      closed: number;
      /** CPU time (user + system) this process spent during the window. */
      cpuMs: number;
      recording: Recording | null;
    };

const OPEN_AT_ONCE = 100;
const MARK = Buffer.from('"cycleStartedAt":');
const CYCLE_MARK = Buffer.from('"cycle":');

function numberAfter(data: Buffer, mark: Buffer): number | null {
  const at = data.indexOf(mark);
  if (at < 0) return null;
  let value = 0;
  let i = at + mark.length;
  for (; i < data.length && data[i]! >= 48 && data[i]! <= 57; i++) value = value * 10 + (data[i]! - 48);
  return i === at + mark.length ? null : value;
}

const isTicks = (data: Buffer) => data.indexOf('"type":"ticks"') >= 0;

const sockets: WebSocket[] = [];
let measuring = false;
let delays: number[] = [];
let messages = 0;
let bytes = 0;
let closed = 0;
const cycles = new Set<number>();
let recording: Recording | null = null;

function send(report: ClientReport): void {
  process.send!(report);
}

function openOne(url: string, index: number, tickers: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    const group = index % 2 === 0 || tickers.length === 0 ? "defaults" : "tickers";
    let ready = false;
    socket.on("message", (raw: Buffer) => {
      if (!ready) {
        // Ready once the snapshot of what it follows has come: the defaults' at once, the
        // tickers' after its subscriptions.
        if (raw.indexOf('"type":"snapshot"') >= 0 && (group === "defaults" || raw.indexOf('"scope":"tickers"') >= 0)) {
          ready = true;
          resolve();
        }
        return;
      }
      if (!measuring || !isTicks(raw)) return;
      const now = Date.now();
      const startedAt = numberAfter(raw, MARK);
      if (startedAt !== null) delays.push(now - startedAt);
      const cycle = numberAfter(raw, CYCLE_MARK);
      if (cycle !== null) cycles.add(cycle);
      messages++;
      bytes += raw.length;
      if (recording && index < 2 && cycle !== null) recording[group][cycle] = raw.toString("utf8");
    });
    socket.on("close", (code) => {
      if (measuring) closed++;
      // Closed before it was ready (the server refused it after the upgrade): a failure, not a wait forever.
      if (!ready) reject(new Error(`closed with ${code} before its snapshot`));
    });
    socket.once("open", () => {
      sockets.push(socket);
      if (group === "tickers") {
        for (let i = 0; i < tickers.length; i += 50) {
          socket.send(JSON.stringify({ type: "subscribe", tickers: tickers.slice(i, i + 50) }));
        }
      }
    });
    socket.once("error", reject);
    socket.once("unexpected-response", (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

async function open(command: Extract<ClientCommand, { type: "open" }>): Promise<void> {
  const started = performance.now();
  let failed = 0;
  let firstError: string | null = null;
  recording = command.record ? { defaults: {}, tickers: {} } : null;
  const end = command.from + command.clients;
  for (let from = command.from; from < end; from += OPEN_AT_ONCE) {
    const batch = Array.from({ length: Math.min(OPEN_AT_ONCE, end - from) }, (_, i) =>
      openOne(command.url, from + i, command.tickers).catch((error: unknown) => {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }),
    );
    await Promise.all(batch);
  }
  send({
    type: "opened",
    opened: sockets.length,
    failed,
    firstError,
    seconds: (performance.now() - started) / 1000,
  });
}

function measure(seconds: number): void {
  delays = [];
  messages = 0;
  bytes = 0;
  closed = 0;
  cycles.clear();
  measuring = true;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  setTimeout(() => {
    measuring = false;
    const elapsed = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    send({
      type: "measured",
      seconds: elapsed,
      messages,
      bytes,
      delaysMs: delays,
      cycles: [...cycles],
      closed,
      cpuMs: (cpu.user + cpu.system) / 1000,
      recording,
    });
  }, seconds * 1000);
}

process.on("message", (command: ClientCommand) => {
  if (command.type === "open") void open(command);
  else if (command.type === "measure") measure(command.seconds);
  else {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});
