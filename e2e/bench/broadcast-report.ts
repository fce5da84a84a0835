import { type BroadcastSection, judgeBroadcast } from "./broadcast-bench.js";
import { ms } from "./stats.js";

// The broadcast section of results.md.

const yesNo = (ok: boolean) => (ok ? "yes ✓" : "NO ✗");

export function broadcastMarkdown(section: BroadcastSection): string[] {
  const lines = [
    "",
    "## WebSocket broadcast",
    "",
    `Half the clients on the defaults, half subscribed to the top 100 of the broadcast queue; a cycle every second, ` +
      `${section.seconds} s measured per run; clients in processes of their own (2,500 at most each); open-files limit ${section.fdLimit}. ` +
      "Delay: from the cycle's start (`cycleStartedAt`) to the client's receipt. A group receives only in cycles whose " +
      "broadcast list holds one of its symbols; the floor replays the same cycles. Load avg: the machine's, at the window's end.",
    ...section.notes.map((note) => `- ${note}`),
    "",
    "| server | clients (open / failed) | msgs/s | MB/s | delay p50 | p99 | max | cycles with a message | missed cycles | closed | server CPU | peak RSS | clients' CPU | load avg |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...section.figures.map(
      (f) =>
        `| ${f.target} | ${f.opened.toLocaleString("en")} / ${f.failed} | ${f.messagesPerSecond.toFixed(0)} | ${f.megabytesPerSecond.toFixed(2)} | ` +
        `${ms(f.delayMs.p50, 0)} | ${ms(f.delayMs.p99, 0)} | ${ms(f.delayMs.max, 0)} | ${f.cyclesSeen} | ${f.missedCycles} | ${f.closedDuringRun} | ` +
        `${f.cpuPercent === null ? "n/a" : `${f.cpuPercent.toFixed(0)} %`} | ${f.peakRssMb === null ? "n/a" : `${f.peakRssMb.toFixed(0)} MB`} | ` +
        `${f.clientCpuPercent.toFixed(0)} % (${f.clientProcesses} proc.) | ${f.loadAverage.toFixed(1)} |`,
    ),
    "",
    "Critical queries while the broadcaster stamped (EXPLAIN ANALYZE median):",
    "",
    ...section.figures
      .filter((f) => f.queries.length > 0)
      .map(
        (f) =>
          `- ${f.clients.toLocaleString("en")} clients: ` +
          f.queries
            .map((q) => `${q.query} ${ms(q.medianMs)}${q.seedTargetMs === null ? "" : ` (< ${q.seedTargetMs} ms)`}`)
            .join(", "),
      ),
    "",
    "| clients | msgs/s vs floor (≥ 0.8×) | p99 ≤ 100 ms | no missed cycle | queries within targets |",
    "|---:|---:|---|---|---|",
    ...judgeBroadcast(section).map(
      (v) =>
        `| ${v.clients.toLocaleString("en")} | ${v.ratio === null ? "n/a" : `${v.ratio.toFixed(2)}×`} ` +
        `${v.ratioOk ? "✓" : "✗"} | ` +
        `${yesNo(v.p99Ok)}${v.floorP99 === null ? "" : ` (floor ${ms(v.floorP99, 0)})`} | ${yesNo(v.noMissedCycle)} | ${yesNo(v.queriesOk)} |`,
    ),
  ];
  return lines;
}
