import { readFileSync } from "node:fs";
import http from "node:http";
import { WebSocket, WebSocketServer } from "ws";
import type { Recording } from "./ws-load-clients.js";

// The floor of the broadcast bench: the least a server can do to deliver the same bytes to the
// same clients. A bare `ws` server with no database and no fan-out logic replays, once per
// interval, the ticks messages that Symbol Desk's clients received (RECORDING_FILE), each group's
// bytes serialised once, with only `cycleStartedAt` rewritten (same length, so same bytes on the
// wire). Clients follow the defaults until they send a subscribe, as on /ws/symbols.
// GET /stats gives its cycles and missed cycles.

const recording = JSON.parse(readFileSync(process.env.RECORDING_FILE!, "utf8")) as Recording;
const intervalMs = Number(process.env.BROADCAST_INTERVAL_MS ?? 1000);
const cycleNumbers = [...new Set([...Object.keys(recording.defaults), ...Object.keys(recording.tickers)].map(Number))];
const first = Math.min(...cycleNumbers);
const last = Math.max(...cycleNumbers);
const groups = { defaults: new Set<WebSocket>(), tickers: new Set<WebSocket>() };
let cycles = 0;
let missedCycles = 0;

const server = http.createServer((req, res) => {
  if (req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ cycles, missedCycles }));
    return;
  }
  res.writeHead(404).end();
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on("connection", (socket) => {
  groups.defaults.add(socket);
  socket.send('{"type":"snapshot","scope":"defaults"}');
  socket.on("message", () => {
    if (groups.tickers.has(socket)) return;
    groups.defaults.delete(socket);
    groups.tickers.add(socket);
    socket.send('{"type":"snapshot","scope":"tickers"}');
  });
  socket.on("close", () => {
    groups.defaults.delete(socket);
    groups.tickers.delete(socket);
  });
});

function cycle(): void {
  const startedAt = Date.now();
  const number = first + (cycles % (last - first + 1));
  cycles++;
  for (const group of ["defaults", "tickers"] as const) {
    const text = recording[group][number];
    if (!text) continue;
    const frame = Buffer.from(text.replace(/"cycleStartedAt":\d+/, `"cycleStartedAt":${startedAt}`));
    for (const socket of groups[group]) if (socket.readyState === WebSocket.OPEN) socket.send(frame);
  }
}

const tick = (due: number) => {
  cycle();
  const now = Date.now();
  let next = due + intervalMs;
  if (next <= now) {
    const behind = Math.floor((now - next) / intervalMs) + 1;
    missedCycles += behind;
    next += behind * intervalMs;
  }
  setTimeout(() => tick(next), next - now);
};

server.listen({ port: Number(process.env.PORT), host: "127.0.0.1", backlog: 4096 }, () => tick(Date.now()));
process.once("SIGTERM", () => process.exit(0));
