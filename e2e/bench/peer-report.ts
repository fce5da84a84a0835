import type { PeerSection, PeerTargetFigure } from "./peer-bench.js";

// The Markdown of the peer section: /symbols beside the Django admin, then the staff pages.

const RATIO_GOAL = 2;
const STAFF_P95_GOAL_MS = 50;
const n0 = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : "n/a");
const n1 = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "n/a");

function row(t: PeerTargetFigure): string {
  const pps = t.pagesPerSecond;
  return (
    `| ${t.target} | \`${t.path}\` | **${n1(pps.median)}** | ${n1(pps.min)}–${n1(pps.max)} | ${n0(t.latencyMs.p50)} ms | ` +
    `**${n0(t.latencyMs.p95)} ms** | ${n0(t.latencyMs.p99)} ms | ${n0(t.latencyMs.max)} ms | ${t.responses} | ` +
    `${t.errors} | ${n0(t.htmlKb)} KB | ${n1(t.wireKb)} KB | ${t.peakRssMb === null ? "n/a" : `${n0(t.peakRssMb)} MB`} |`
  );
}

export function peerMarkdown(p: PeerSection): string[] {
  const targets = p.django ? [p.desk, p.django] : [p.desk];
  const verdict =
    p.ratio === null
      ? `Django peer not measured: ${p.skipped ?? "it answered no page with 200"}.`
      : `Symbol Desk served **${p.ratio.toFixed(2)}×** the Django admin's pages per second ` +
        `(goal ≥ ${RATIO_GOAL}× ${p.ratio >= RATIO_GOAL ? "✓" : "✗"}), ` +
        `errors ${targets.map((t) => `${t.target.split(" ")[0]} ${t.errors}`).join(", ")} (goal 0).`;
  return [
    "",
    `## /symbols against a Django admin over the same tables (${p.symbols.toLocaleString("en")} symbols)`,
    "",
    `${p.peer}. Both signed in (a Symbol Desk admin, a Django superuser), both on their default view (no filter, ` +
      `by ticker, 50 rows, checked to be the same 50 rows in the same order before and after the load), ` +
      `${p.connections} connections, ${p.runs} runs of ${p.seconds} s each alternating which goes first ` +
      "(answers in flight at the end awaited and counted). Pages/s counts whole pages answered 200; errors are " +
      "socket errors, timeouts, any other status and pages cut off; latency is over every response. " +
      `Load average (1 min) ${p.loadAverage.before.toFixed(2)} as it began, ${p.loadAverage.after.toFixed(2)} as it ended, ` +
      "on a machine others may share: compare the two rows of one run, not runs of different days.",
    "",
    "| target | path | pages/s median | runs range | p50 | p95 | p99 | max | responses | errors | HTML | sent | peak RSS |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...targets.map(row),
    "",
    verdict,
    "",
    `### Staff pages, one admin at 1 connection (first load, then ${p.staffRounds} rounds)`,
    "",
    "Time to the last byte (gzip) on a server just started; each page's first request is shown apart and counted " +
      `in its percentiles (goal p95 ≤ ${STAFF_P95_GOAL_MS} ms).`,
    "",
    "| page | first load | p50 | p95 | p99 | max | not 200 |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...p.staffPages.map(
      (s) =>
        `| \`${s.path}\` | ${n0(s.firstMs)} ms${s.firstStatus === 200 ? "" : ` (${s.firstStatus})`} | ${n1(s.p50)} ms | ` +
        `**${n1(s.p95)} ms**${s.p95 <= STAFF_P95_GOAL_MS ? " ✓" : " ✗"} | ${n1(s.p99)} ms | ${n0(s.max)} ms | ${s.non200} |`,
    ),
  ];
}
