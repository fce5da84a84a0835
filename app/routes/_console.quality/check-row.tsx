import { Link } from "@remix-run/react";
import { CheckTitle } from "~/components/check-title";
import { StatusChip } from "~/components/status-chip";
import { StatusStrip, type TrendStatus } from "~/components/trend-chart";
import { cx, focusRing } from "~/components/classes";

// One check of the latest run: verdict, what it checks, how many rows offend, a sample of them
// (each symbol linked to its editor, each user to their preview), the fix hint and the check's
// recent history.

export interface CheckRowView {
  id: string;
  title: string;
  category: string;
  severity: "error" | "warn";
  status: TrendStatus;
  offendingCount: number;
  sample: Record<string, unknown>[];
  message: string | null;
  fixHint: string;
  durationMs: number;
  trend: { status: TrendStatus; at: string; count: number }[];
}

const LABEL: Record<TrendStatus, string> = { pass: "Pass", warn: "Warn", fail: "Fail", error: "Error" };

function cell(key: string, value: unknown, row: Record<string, unknown>) {
  if (key === "symbol_id" && typeof value === "string") {
    const ticker = typeof row.ticker === "string" ? row.ticker : null;
    return (
      <Link
        to={`/symbols/${value}`}
        className={cx("font-mono text-indigo-700 underline decoration-indigo-300 hover:text-indigo-900", focusRing)}
      >
        {ticker ? `Edit ${ticker}` : value.slice(0, 8)}
      </Link>
    );
  }
  if (key === "user_id" && typeof value === "string") {
    return (
      <Link
        to={`/users/${value}/preview`}
        className={cx("font-mono text-indigo-700 underline decoration-indigo-300 hover:text-indigo-900", focusRing)}
      >
        Preview user {value.slice(0, 8)}
      </Link>
    );
  }
  if (value === null || value === undefined) return <span className="text-slate-500">null</span>;
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return (
    <span className={/_id$/.test(key) ? "font-mono text-[11px]" : ""} title={text}>
      {text.length > 60 ? `${text.slice(0, 57)}…` : text}
    </span>
  );
}

function SampleTable({ check }: { check: CheckRowView }) {
  const columns = [...new Set(check.sample.flatMap((row) => Object.keys(row)))];
  return (
    <div className="mt-2 overflow-x-auto rounded border border-slate-200">
      <table className="w-full text-left text-xs">
        <caption className="sr-only">Offending rows of {check.title}</caption>
        <thead className="bg-slate-50 text-[10px] tracking-wide text-slate-500 uppercase">
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col" className="px-2 py-1 font-medium">
                {c.replace(/_/g, " ")}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {check.sample.map((row, i) => (
            <tr key={i} className="border-t border-slate-100">
              {columns.map((c) => (
                <td key={c} className="px-2 py-1 whitespace-nowrap text-slate-700">
                  {cell(c, row[c], row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {check.offendingCount > check.sample.length ? (
        <p className="border-t border-slate-100 px-2 py-1 text-[11px] text-slate-500">
          Showing {check.sample.length} of {check.offendingCount} offending rows.
        </p>
      ) : null}
    </div>
  );
}

export function CheckRow({ check }: { check: CheckRowView }) {
  const problem = check.status !== "pass";
  return (
    <li aria-label={`${check.title}: ${LABEL[check.status]}`} className={`px-3 py-2.5 ${problem ? "bg-white" : ""}`}>
      <div className="flex flex-wrap items-start gap-x-3 gap-y-1">
        <StatusChip tone={check.status} className="mt-0.5 w-12 justify-center">
          {LABEL[check.status]}
        </StatusChip>
        <div className="min-w-0 flex-1">
          <CheckTitle title={check.title} offendingCount={check.offendingCount} />
          <p className="mt-0.5 font-mono text-[11px] text-slate-500">
            {check.id} · {check.category} · {check.severity} severity · {check.durationMs.toFixed(0)} ms
          </p>
          {check.message ? <p className="mt-1 text-xs text-slate-600">{check.message}</p> : null}
          {problem ? (
            <p className="mt-1 text-xs text-slate-700">
              <span className="font-semibold">Fix: </span>
              {check.fixHint}
            </p>
          ) : null}
          {check.sample.length > 0 ? (
            <details open={check.sample.length <= 5} className="group mt-1">
              <summary
                className={cx("cursor-pointer text-xs font-medium text-indigo-700 hover:text-indigo-900", focusRing)}
              >
                Sample of offending rows ({check.sample.length})
              </summary>
              <SampleTable check={check} />
            </details>
          ) : null}
        </div>
        <div className="flex flex-col items-end gap-0.5">
          <StatusStrip points={check.trend} label={`History of ${check.id}`} />
          <span className="text-[10px] text-slate-500">
            last {check.trend.length} run{check.trend.length === 1 ? "" : "s"}
          </span>
        </div>
      </div>
    </li>
  );
}
