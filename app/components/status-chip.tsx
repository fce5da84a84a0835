// Status words as coloured chips, shared by the quality, performance, migrations and readiness
// panels. The word is always written out: colour only repeats it.

export type ChipTone = "pass" | "warn" | "fail" | "error" | "neutral" | "info";

const TONES: Record<ChipTone, string> = {
  pass: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  warn: "bg-amber-50 text-amber-800 ring-amber-200",
  fail: "bg-red-50 text-red-800 ring-red-200",
  error: "bg-fuchsia-50 text-fuchsia-800 ring-fuchsia-200",
  neutral: "bg-slate-50 text-slate-600 ring-slate-200",
  info: "bg-sky-50 text-sky-800 ring-sky-200",
};

export function StatusChip({
  tone,
  children,
  className = "",
}: {
  tone: ChipTone;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <span
      className={
        `inline-flex items-center rounded px-1.5 py-0.5 text-[10px] font-semibold tracking-wide uppercase ` +
        `ring-1 ring-inset ${TONES[tone]} ${className}`
      }
    >
      {children}
    </span>
  );
}

export function PanelMessage({
  children,
  tone = "warn",
}: {
  children: React.ReactNode;
  tone?: "warn" | "info" | "error";
}) {
  const style =
    tone === "error"
      ? "border-red-200 bg-red-50 text-red-900"
      : tone === "info"
        ? "border-sky-200 bg-sky-50 text-sky-900"
        : "border-amber-200 bg-amber-50 text-amber-900";
  return (
    <p role="status" className={`rounded-md border px-3 py-2 text-[13px] ${style}`}>
      {children}
    </p>
  );
}

export const ms = (value: number | null | undefined): string =>
  value === null || value === undefined ? "–" : value < 10 ? value.toFixed(3) : value.toFixed(1);

export const utc = (iso: string | Date): string => {
  const text = typeof iso === "string" ? iso : iso.toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 19)} UTC`;
};
