import { Link } from "@remix-run/react";
import { ms, StatusChip, utc } from "~/components/status-chip";
import { LineChart } from "~/components/trend-chart";
import { plural } from "~/utils/plural";
import { cx, focusRing } from "~/components/classes";

// One critical query: its latest figures against the seed's target, the history of its median
// (p95 in grey, a dashed line where the schema version changed), and links to its plans.

export interface MeasurementView {
  id: string;
  measuredAt: string;
  engineLabel: string;
  actor: string;
  runs: number;
  execution: { medianMs: number; p95Ms: number };
  planning: { medianMs: number; p95Ms: number };
  schemaVersion: string | null;
  note: string | null;
  parameters: Record<string, string | number>;
}

export interface QueryCardView {
  id: string;
  name: string;
  targetMs: number;
  definedIn: string;
  history: MeasurementView[];
}

function Figure({ label, value, target, engine }: { label: string; value: number; target?: number; engine: string }) {
  const over = target !== undefined && value >= target;
  return (
    <div className="rounded-md border border-slate-200 px-2.5 py-1.5">
      <dt className="text-[10px] font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd
        className={
          `text-base font-semibold tabular-nums ` +
          `${target === undefined ? "text-slate-800" : over ? "text-red-700" : "text-emerald-700"}`
        }
      >
        {ms(value)} ms
        {target !== undefined ? <span className="sr-only">{over ? ", over target" : ", under target"}</span> : null}
      </dd>
      <dd className="text-[10px] text-slate-500">{engine}</dd>
    </div>
  );
}

export function QueryCard({ query }: { query: QueryCardView }) {
  const latest = query.history.at(-1);
  const previous = query.history.at(-2);
  const points = query.history.map((m, i) => ({
    at: m.measuredAt,
    value: m.execution.medianMs,
    secondary: m.execution.p95Ms,
    marker:
      i > 0 && m.schemaVersion !== query.history[i - 1]!.schemaVersion
        ? `schema ${m.schemaVersion ?? "unknown"}`
        : undefined,
  }));
  const verdict = latest ? (latest.execution.medianMs < query.targetMs ? "pass" : "fail") : null;
  return (
    <article aria-labelledby={`q-${query.id}`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id={`q-${query.id}`} className="text-sm font-semibold text-slate-900">
            {query.name}
          </h2>
          <p className="text-xs text-slate-500">
            target &lt; {query.targetMs} ms · <code className="font-mono text-[11px]">{query.definedIn}</code>
          </p>
        </div>
        {verdict ? (
          <StatusChip tone={verdict}>{verdict === "pass" ? "under target" : "over target"}</StatusChip>
        ) : (
          <StatusChip tone="neutral">not measured</StatusChip>
        )}
      </header>
      {latest ? (
        <>
          <dl className="mt-3 grid grid-cols-2 gap-2 sm:grid-cols-4">
            <Figure
              label="Execution median"
              value={latest.execution.medianMs}
              target={query.targetMs}
              engine={latest.engineLabel}
            />
            <Figure
              label="Execution p95"
              value={latest.execution.p95Ms}
              target={query.targetMs}
              engine={latest.engineLabel}
            />
            <Figure label="Planning median" value={latest.planning.medianMs} engine={latest.engineLabel} />
            <Figure label="Planning p95" value={latest.planning.p95Ms} engine={latest.engineLabel} />
          </dl>
          <p className="mt-2 text-[11px] text-slate-500">
            {plural(latest.runs, "run")}, {utc(latest.measuredAt)} by {latest.actor} · schema{" "}
            {latest.schemaVersion ?? "unknown"}
            {Object.keys(latest.parameters).length > 0 ? (
              <>
                {" "}
                ·{" "}
                {Object.entries(latest.parameters)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join(", ")}
              </>
            ) : null}
          </p>
          {latest.note ? <p className="mt-1 text-[11px] text-amber-700">{latest.note}</p> : null}
          <div className="mt-3">
            <LineChart
              points={points}
              target={query.targetMs}
              unit="ms"
              label={`${query.name} execution median history`}
              width={560}
              height={96}
            />
            <p className="mt-1 text-[10px] text-slate-500">
              execution median (indigo) and p95 (grey) per measurement; dashed violet line: schema version changed
            </p>
          </div>
          <div className="mt-3 flex flex-wrap gap-2 text-[13px]">
            <Link
              to={`/performance/plans/${latest.id}`}
              className={cx(
                "rounded-md border border-slate-300 px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-50",
                focusRing,
              )}
            >
              Open plan<span className="sr-only"> of {query.name}</span>
            </Link>
            {previous ? (
              <Link
                to={`/performance/plans/${latest.id}?compare=${previous.id}`}
                className={cx(
                  "rounded-md border border-slate-300 px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-50",
                  focusRing,
                )}
              >
                Compare with previous<span className="sr-only"> measurement of {query.name}</span>
              </Link>
            ) : null}
          </div>
        </>
      ) : (
        <p className="mt-3 text-[13px] text-slate-500">No measurement yet. Use “Measure now” to run EXPLAIN ANALYZE.</p>
      )}
    </article>
  );
}
