import { cx } from "~/components/classes";
import { formatUtc } from "./format-utc";
// Small status marks used across the console's tables. Colour is never the only signal: each
// carries its word.

const CONNECTION: Record<string, { dot: string; text: string }> = {
  connected: { dot: "bg-emerald-500", text: "text-emerald-800" },
  degraded: { dot: "bg-amber-500", text: "text-amber-800" },
  disconnected: { dot: "bg-red-500", text: "text-red-800" },
};

export function ConnectionStatus({ status }: { status: string | null }) {
  if (!status) return <span className="text-slate-500">—</span>;
  const style = CONNECTION[status] ?? { dot: "bg-slate-400", text: "text-slate-600" };
  return (
    <span className={`inline-flex items-center gap-1.5 text-xs font-medium ${style.text}`}>
      <span className={`size-1.5 rounded-full ${style.dot}`} aria-hidden="true" />
      {status}
    </span>
  );
}

export function ActivePill({ active }: { active: boolean }) {
  return active ? (
    <span
      className={cx(
        "rounded bg-emerald-50 px-1.5 py-0.5 text-[11px] font-medium",
        "text-emerald-800 ring-1 ring-emerald-200 ring-inset",
      )}
    >
      Active
    </span>
  ) : (
    <span
      className={cx(
        "rounded bg-slate-100 px-1.5 py-0.5 text-[11px] font-medium",
        "text-slate-700 ring-1 ring-slate-300 ring-inset",
      )}
    >
      Deprecated
    </span>
  );
}

export function YesNo({ value, yes = "Yes", no = "No" }: { value: boolean; yes?: string; no?: string }) {
  return <span className={value ? "font-medium text-slate-900" : "text-slate-500"}>{value ? yes : no}</span>;
}

/** A UTC timestamp in a <time> element; "never" when there is none. */
export function When({ at, never = "never" }: { at: string | Date | null; never?: string }) {
  if (!at) return <span className="text-slate-500">{never}</span>;
  const date = new Date(at);
  return (
    <time dateTime={date.toISOString()} className="whitespace-nowrap tabular-nums">
      {formatUtc(date)}
    </time>
  );
}
