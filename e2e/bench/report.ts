import { type PageWeight, pageWeightLines } from "./page-weight.js";
import type { BroadcastSection } from "./broadcast-bench.js";
import { broadcastMarkdown } from "./broadcast-report.js";
import type { HttpFigure, LoadCpu } from "./http-bench.js";
import { partsLine, type StepPart } from "../../db/migrations/step-parts.js";
import type { MigrationUnderLoadFigure } from "./migration-under-load.js";
import type { PeerSection } from "./peer-bench.js";
import { peerMarkdown } from "./peer-report.js";
import type { QueryFigure } from "./query-bench.js";
import { ms, percentile } from "./stats.js";

export interface BenchResults {
  mode: "quick" | "full";
  startedAt: string;
  machine: { cpus: number; memoryGb: number; node: string; postgres: string };
  datasets: { symbols: number; users: number; preferences: number; loadSeconds: number }[];
  queries: QueryFigure[];
  http: HttpFigure[];
  ratioToRaw: number | null;
  /** Each endpoint's throughput against its yardstick (the raw floor, the from-memory ceiling). */
  ratios?: {
    label: string;
    value: number | null;
    goal: number | null;
    /** Requests per second of each run of the endpoint (`of`) and of its yardstick (`to`), and their CPU. */
    runs?: { of: number[]; to: number[]; ofCpu: LoadCpu[]; toCpu: LoadCpu[] };
  }[];
  /** Resident memory of each server before any load. */
  idleRssMb: { app: number | null; raw: number | null } | null;
  migrationUnderLoad: MigrationUnderLoadFigure | null;
  /** `--instances N --pooler`: each endpoint's throughput on one instance and on N at once. */
  scaleOut?: { label: string; endpoints: { target: string; single: number; scaled: number }[] } | null;
  broadcast: BroadcastSection | null;
  /** /symbols against the Django admin, and every staff page at one connection. */
  peer: PeerSection | null;
  /** The /symbols page the load requests: its HTML size, elements and dialogs. */
  pageWeight?: PageWeight[];
  settings: Record<string, string | number>;
}

const rates = (values: number[]) => `${values.map((v) => v.toFixed(0)).join(", ")} req/s`;
const perRequest = (us: number | null) => (us === null ? "n/a" : `${us.toFixed(1)} µs`);
const cores = (share: number | null) => (share === null ? "n/a" : share.toFixed(2));
const medianOf = (values: (number | null)[]) => {
  const known = values.filter((v) => v !== null);
  return known.length === 0 ? null : percentile(known, 50);
};

/** The two sides' server CPU per request and load generator's cores, medians over their runs. */
function cpuComparison(of: LoadCpu[], to: LoadCpu[]): string {
  const server = (runs: LoadCpu[]) => perRequest(medianOf(runs.map((c) => c.serverUsPerRequest)));
  const generator = (runs: LoadCpu[]) => cores(medianOf(runs.map((c) => c.loadGeneratorCores)));
  return (
    `server CPU per request ${server(of)} against ${server(to)}, ` +
    `load generator ${generator(of)} and ${generator(to)} of a core (medians)`
  );
}

const sum = (steps: { durationMs: number }[]) => steps.reduce((total, s) => total + s.durationMs, 0);

/** A step's parts, then what the migrator spent around them (its lock, bookkeeping, the NOTIFY). */
function stepPartsLine(step: { durationMs: number; parts: StepPart[] }): string {
  const inParts = step.parts.reduce((total, p) => total + p.ms, 0);
  return `${partsLine(step.parts)}; around the statements ${Math.max(0, step.durationMs - inParts)} ms`;
}
const mark = (value: number, target: number | null) => (target === null ? "" : value < target ? " ✓" : " ✗");

export function toMarkdown(r: BenchResults): string {
  const lines = [
    `# Symbol Desk benchmark (${r.mode}), ${r.startedAt}`,
    "",
    `${r.machine.cpus} cores, ${r.machine.memoryGb} GiB, Node ${r.machine.node}, ${r.machine.postgres}.`,
    `Settings: ${Object.entries(r.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}.`,
    "",
    "## Data",
    "",
    "| symbols | users | preferences | load time |",
    "|---:|---:|---:|---:|",
    ...r.datasets.map(
      (d) =>
        `| ${d.symbols.toLocaleString("en")} | ${d.users.toLocaleString("en")} | ${d.preferences.toLocaleString("en")} | ${d.loadSeconds.toFixed(1)} s |`,
    ),
    "",
    "## Queries (EXPLAIN ANALYZE execution time)",
    "",
    "Median and p95 with per-node timing (as the EXPLAIN panel measures), then the median without it",
    "(TIMING OFF: the statement alone, without a clock read around every node and row).",
    "",
    "| query | symbols | runs | median | p95 | median, timing off | seed target | our target at 100k | plan |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ...r.queries.map((q) => {
      const own = q.symbols >= 100_000 ? q.ownTargetMs : null;
      const statement = q.statementOnly ? ms(q.statementOnly.median) : "–";
      return (
        `| ${q.query} | ${q.symbols.toLocaleString("en")} | ${q.execution.n} | ${ms(q.execution.median)} | ${ms(q.execution.p95)} | ${statement} | ` +
        `${q.seedTargetMs === null ? "–" : `< ${q.seedTargetMs} ms${mark(q.execution.p95, q.seedTargetMs)}`} | ` +
        `${own === null ? "–" : `≤ ${own} ms${mark(q.execution.median, own + 1e-9)}${q.statementOnly ? ` (timing off${mark(q.statementOnly.median, own + 1e-9)})` : ""}`} | ${q.plan} |`
      );
    }),
    "",
    "## HTTP load",
    "",
    "| target | connections | seconds | req/s | p50 | p97.5 | p99 | max | errors | timeouts | non-2xx | peak RSS | server CPU per request | cores busy: server, load generator |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...r.http.map(
      (h) =>
        `| ${h.target} | ${h.connections} | ${h.seconds} | ${h.requestsPerSecond.toFixed(0)} | ${h.latencyMs.p50} ms | ${h.latencyMs.p97_5} ms | ` +
        `${h.latencyMs.p99} ms | ${h.latencyMs.max} ms | ${h.errors} | ${h.timeouts} | ${h.non2xx} | ${h.peakRssMb === null ? "n/a" : `${h.peakRssMb.toFixed(0)} MB`} | ` +
        `${perRequest(h.cpu.serverUsPerRequest)} | ${cores(h.cpu.serverCores)}, ${cores(h.cpu.loadGeneratorCores)} |`,
    ),
    "",
    "A load generator near 1.00 of a core bounds the throughput itself; the server's CPU per request then compares two servers.",
    "",
    r.idleRssMb
      ? `Resident memory before load: Symbol Desk ${r.idleRssMb.app?.toFixed(0) ?? "n/a"} MB, raw server ${r.idleRssMb.raw?.toFixed(0) ?? "n/a"} MB; peak under load in the table.`
      : "",
    "",
    r.ratioToRaw === null
      ? ""
      : `Symbol Desk's defaults endpoint served **${r.ratioToRaw.toFixed(2)}×** the raw node:http + pg server's throughput (goal ≥ 0.8×).`,
    ...(r.ratios ?? []).map(
      (x) =>
        `- ${x.label}: **${x.value === null ? "–" : `${x.value.toFixed(2)}×`}**` +
        (x.goal === null ? "" : ` (goal ≥ ${x.goal}×${x.value === null ? "" : x.value >= x.goal ? " ✓" : " ✗"})`) +
        (x.runs
          ? `, medians of ${x.runs.of.length} runs each: ${rates(x.runs.of)} against ${rates(x.runs.to)}; ` +
            cpuComparison(x.runs.ofCpu, x.runs.toCpu)
          : ""),
    ),
    ...(r.scaleOut
      ? [
          "",
          `${r.scaleOut.label}: ` +
            r.scaleOut.endpoints
              .map(
                (e) =>
                  `${e.target} **${e.scaled.toFixed(0)} req/s** against ${e.single.toFixed(0)} req/s on one instance ` +
                  `(${e.single > 0 ? (e.scaled / e.single).toFixed(2) : "–"}×)`,
              )
              .join("; ") +
            ". Every instance, the pooler and PostgreSQL share this machine's cores, so the sum measures the path, not added hardware.",
        ]
      : []),
    ...pageWeightLines(r.pageWeight ?? []),
  ];
  const m = r.migrationUnderLoad;
  if (m) {
    lines.push(
      "",
      "## Rollback and re-apply of 20250108 under load",
      "",
      `Rollback: ${m.rollbackSteps.map((s) => `${s.migration} ${s.durationMs} ms`).join(", ")} ` +
        `(total ${sum(m.rollbackSteps)} ms; target for 20250108 ≤ 1 s, the seed's < 2 s).`,
      `Re-apply: ${m.reapplySteps.map((s) => `${s.migration} ${s.durationMs} ms`).join(", ")} ` +
        `(total ${sum(m.reapplySteps)} ms; target for 20250108 ≤ 3 s, the seed's < 5 s). The columns were back ${m.columnsBackAfterMs ?? "?"} ms after it began.`,
      ...[...m.rollbackSteps, ...m.reapplySteps]
        .filter((s) => s.migration === "20250108_data_driven_symbols")
        .map((s, i) => `20250108 ${i === 0 ? "rollback" : "re-apply"} by part: ${stepPartsLine(s)}.`),
      `Load average (1, 5, 15 min) as the experiment began: ${m.loadAverage.before.map((v) => v.toFixed(2)).join(", ")}; ` +
        `as it ended: ${m.loadAverage.after.map((v) => v.toFixed(2)).join(", ")} (${r.machine.cpus} cores).`,
      `Data checksum after re-apply equal to before: **${m.checksumEqual ? "yes" : "NO"}**.`,
      `After the rollback the server answered 503 ${m.unavailableAfterMs === null ? "never (within 2 s)" : `${m.unavailableAfterMs} ms after it returned`}; ` +
        `with Retry-After: ${m.serviceUnavailableWithRetryAfter === null ? "n/a" : m.serviceUnavailableWithRetryAfter ? "yes" : "NO"}.`,
      `Load during the experiment: ${m.load.connections} connections, ${m.load.errors} errors, ${m.load.timeouts} timeouts, worst ${m.load.latencyMs.max} ms.`,
      m.okWhileColumnsGone.count === 0
        ? "While the columns were gone: no 200."
        : `While the columns were gone: ${m.okWhileColumnsGone.count} × 200, all within ${m.okWhileColumnsGone.farthestFromEdgeMs} ms of the moment ` +
            "the columns were seen going or coming back (answers read on the other side of it, written late).",
      "",
      "Responses by the phase in which they arrived:",
      "",
      "| phase | responses | by status | worst latency |",
      "|---|---:|---|---:|",
      ...m.phases.map(
        (p) =>
          `| ${p.phase} | ${p.responses} | ${Object.entries(p.byStatus)
            .map(([s, n]) => `${s}: ${n}`)
            .join(", ")} | ${p.worstLatencyMs} ms |`,
      ),
    );
  }
  if (r.peer) lines.push(...peerMarkdown(r.peer));
  if (r.broadcast) lines.push(...broadcastMarkdown(r.broadcast));
  return `${lines.join("\n")}\n`;
}

/** A bar chart of median query times per catalogue size, with the seed's targets as ticks. */
export function toSvgChart(queries: QueryFigure[]): string {
  const names = [...new Set(queries.map((q) => q.query))];
  const sizes = [...new Set(queries.map((q) => q.symbols))].sort((a, b) => a - b);
  const max = Math.max(0.05, ...queries.map((q) => q.execution.p95));
  const width = 760,
    rowHeight = 18 * sizes.length + 16,
    left = 190,
    plot = width - left - 90;
  const height = names.length * rowHeight + 40;
  const colors = ["#60a5fa", "#34d399", "#f59e0b", "#f472b6"];
  const bars = names.flatMap((name, i) =>
    sizes
      .flatMap((size, j) => {
        const q = queries.find((x) => x.query === name && x.symbols === size);
        if (!q) return [];
        const y = 30 + i * rowHeight + j * 18;
        const w = (q.execution.median / max) * plot;
        return [
          `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="14" fill="${colors[j % colors.length]}"/>`,
          `<text x="${left + w + 4}" y="${y + 11}" font-size="11">${q.execution.median.toFixed(3)} ms (${size.toLocaleString("en")})</text>`,
        ];
      })
      .concat(`<text x="8" y="${30 + i * rowHeight + 12}" font-size="12">${name}</text>`),
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="8" y="18" font-size="13" font-weight="bold">Median execution time by catalogue size (scale: 0–${max.toFixed(3)} ms)</text>` +
    `${bars.join("")}</svg>\n`
  );
}
