import { plural } from "~/utils/plural";

// Small inline SVG charts for the panels' history: a strip of status cells per run, and a line
// of a figure against its target. No chart library: a few rectangles and a polyline. Each chart
// carries a text summary for screen readers; the picture itself is decorative.

export type TrendStatus = "pass" | "warn" | "fail" | "error";

const STATUS_FILL: Record<TrendStatus, string> = {
  pass: "#10b981",
  warn: "#f59e0b",
  fail: "#ef4444",
  error: "#c026d3",
};

export function StatusStrip({
  points,
  label,
}: {
  points: { status: TrendStatus; at: string; count: number }[];
  label: string;
}) {
  const cell = 7;
  const gap = 2;
  const width = Math.max(1, points.length) * (cell + gap);
  const counts = points.reduce<Record<string, number>>(
    (acc, p) => ({ ...acc, [p.status]: (acc[p.status] ?? 0) + 1 }),
    {},
  );
  const summary =
    points.length === 0
      ? `${label}: no history yet`
      : `${label}: last ${points.length} runs, ${Object.entries(counts)
          .map(([s, n]) => `${n} ${s}`)
          .join(", ")}; latest ${points.at(-1)!.status}`;
  return (
    <svg width={width} height={14} viewBox={`0 0 ${width} 14`} role="img" aria-label={summary} className="block">
      {points.map((p, i) => (
        <rect
          key={`${p.at}-${i}`}
          x={i * (cell + gap)}
          y={p.status === "pass" ? 5 : 1}
          width={cell}
          height={p.status === "pass" ? 8 : 12}
          rx={1.5}
          fill={STATUS_FILL[p.status]}
        >
          <title>
            {`${p.at.slice(0, 16).replace("T", " ")} UTC: ` +
              `${p.status}${p.count ? `, ${plural(p.count, "row")}` : ""}`}
          </title>
        </rect>
      ))}
    </svg>
  );
}

interface LinePoint {
  at: string;
  value: number;
  secondary?: number;
  /** Marks a point where something changed (another schema version). */
  marker?: string;
}

export function LineChart({
  points,
  target,
  unit,
  label,
  width = 320,
  height = 80,
}: {
  points: LinePoint[];
  target?: number;
  unit: string;
  label: string;
  width?: number;
  height?: number;
}) {
  if (points.length === 0) {
    return <p className="text-xs text-slate-500">No history yet.</p>;
  }
  const pad = { left: 34, right: 6, top: 6, bottom: 14 };
  const values = points.flatMap((p) => [p.value, p.secondary ?? p.value]);
  // The scale follows the figures; the target joins it only when it is near enough to keep the
  // figures readable (far under target, the line is replaced by a note at the top).
  const highest = Math.max(...values);
  const targetShown = target !== undefined && target <= highest * 4;
  const top = Math.max(highest, targetShown ? target! : 0) * 1.15 || 1;
  const x = (i: number) =>
    pad.left +
    (points.length === 1
      ? (width - pad.left - pad.right) / 2
      : (i / (points.length - 1)) * (width - pad.left - pad.right));
  const y = (v: number) => pad.top + (1 - v / top) * (height - pad.top - pad.bottom);
  const line = (pick: (p: LinePoint) => number | undefined) =>
    points
      .map((p, i) => [i, pick(p)] as const)
      .filter(([, v]) => v !== undefined)
      .map(([i, v]) => `${x(i).toFixed(1)},${y(v!).toFixed(1)}`)
      .join(" ");
  const last = points.at(-1)!;
  const summary =
    `${label}: ${points.length} measurements, latest ${last.value.toFixed(3)} ${unit}` +
    (target !== undefined ? `, target ${target} ${unit}` : "");
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={summary}
      className="block max-w-full"
    >
      <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} className="stroke-slate-200" />
      <text x={pad.left - 4} y={y(top / 1.15) + 3} textAnchor="end" fontSize="9" className="fill-slate-400">
        {(top / 1.15).toFixed(top < 0.12 ? 3 : top < 1.2 ? 2 : 1)}
      </text>
      <text x={pad.left - 4} y={y(0) + 3} textAnchor="end" fontSize="9" className="fill-slate-400">
        0
      </text>
      {target !== undefined && !targetShown ? (
        <text x={width - pad.right} y={pad.top + 6} textAnchor="end" fontSize="9" className="fill-emerald-600">
          target {target} {unit} is far above ↑
        </text>
      ) : null}
      {targetShown ? (
        <g>
          <line
            x1={pad.left}
            x2={width - pad.right}
            y1={y(target!)}
            y2={y(target!)}
            className="stroke-red-500"
            strokeDasharray="3 3"
            strokeWidth={1}
          />
          <text x={width - pad.right} y={y(target!) - 2} textAnchor="end" fontSize="9" className="fill-red-500">
            target {target} {unit}
          </text>
        </g>
      ) : null}
      {points.map((p, i) =>
        p.marker ? (
          <line
            key={`m-${i}`}
            x1={x(i)}
            x2={x(i)}
            y1={pad.top}
            y2={height - pad.bottom}
            className="stroke-indigo-300"
            strokeDasharray="2 2"
          >
            <title>{p.marker}</title>
          </line>
        ) : null,
      )}
      {points.some((p) => p.secondary !== undefined) ? (
        <polyline points={line((p) => p.secondary)} fill="none" className="stroke-slate-300" strokeWidth={1.25} />
      ) : null}
      <polyline points={line((p) => p.value)} fill="none" className="stroke-indigo-600" strokeWidth={1.75} />
      {points.map((p, i) => (
        <circle
          key={`p-${i}`}
          cx={x(i)}
          cy={y(p.value)}
          r={2.25}
          className={target !== undefined && p.value >= target ? "fill-red-500" : "fill-indigo-600"}
        >
          <title>
            {`${p.at.slice(0, 19).replace("T", " ")} UTC: ` +
              `${p.value.toFixed(3)} ${unit}${p.secondary !== undefined ? ` (p95 ${p.secondary.toFixed(3)})` : ""}`}
          </title>
        </circle>
      ))}
      <text x={pad.left} y={height - 2} fontSize="9" className="fill-slate-400">
        {points[0]!.at.slice(5, 16).replace("T", " ")}
      </text>
      <text x={width - pad.right} y={height - 2} textAnchor="end" fontSize="9" className="fill-slate-400">
        {last.at.slice(5, 16).replace("T", " ")}
      </text>
    </svg>
  );
}
