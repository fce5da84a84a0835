import type { Kysely } from "kysely";
import {
  broadcasterHealth,
  DEFAULT_SEND_SHARE,
  defaultSendFrequency,
  DISCONNECTS_PER_MINUTE_SHARE,
  MIN_DISCONNECTS_ALLOWED,
} from "../broadcast/health.js";
import type { Database } from "../schema.js";
import type { Criterion } from "./report.js";

// The seed's first-24-hours monitoring of the WebSocket service, as go/no-go criteria:
// connection stability (disconnects per minute) and each default symbol's broadcast frequency.

export async function broadcastCriteria(db: Kysely<Database>): Promise<Criterion[]> {
  const health = await broadcasterHealth(db);
  const stats = health.stats;
  if (!stats || health.state === "not-running") {
    const unknown = {
      actual: "no broadcaster running",
      verdict: "unknown" as const,
      detail: "Start it: it runs inside `npm start`, or alone with `npm run broadcaster`.",
    };
    return [
      {
        id: "ws-stability",
        label: "WebSocket connection stability",
        target: "disconnects/min ≤ 10 % of clients",
        ...unknown,
      },
      {
        id: "broadcast-frequency",
        label: "Default symbols' broadcast frequency",
        target: "each in ≥ 50 % of cycles",
        ...unknown,
      },
    ];
  }
  const allowed = Math.max(MIN_DISCONNECTS_ALLOWED, Math.ceil(stats.clients.total * DISCONNECTS_PER_MINUTE_SHARE));
  const frequency = await defaultSendFrequency(db, health);
  const rarest = [...frequency.figures].sort((a, b) => a.sendsPerMinute - b.sendsPerMinute)[0];
  const stalledOrPaused = health.state !== "live";
  return [
    {
      id: "ws-stability",
      label: "WebSocket connection stability",
      target: `≤ ${allowed} disconnects/min`,
      actual: `${stats.disconnectsPerMinute} disconnects, ${stats.connectsPerMinute} connects in the last minute`,
      verdict: stats.disconnectsPerMinute <= allowed ? "pass" : "fail",
      detail:
        `${stats.clients.total} clients connected; ${stats.slowDropsPerMinute} dropped as too slow in the ` +
        `last minute`,
    },
    {
      id: "broadcast-frequency",
      label: "Default symbols' broadcast frequency",
      target: `each in ≥ ${Math.round(DEFAULT_SEND_SHARE * 100)} % of cycles (${frequency.required}/min)`,
      actual: rarest ? `rarest: ${rarest.ticker} ${rarest.sendsPerMinute}/min` : "no default symbols",
      verdict: stalledOrPaused ? "fail" : rarest && rarest.sendsPerMinute >= frequency.required ? "pass" : "fail",
      detail: stalledOrPaused
        ? `The broadcaster is ${health.state}.`
        : `${frequency.possible} cycles possible in the last minute at ${health.intervalMs} ms`,
    },
  ];
}
