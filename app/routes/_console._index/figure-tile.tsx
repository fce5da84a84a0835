import type { FigureView } from "./figures";

const VERDICT = {
  ok: { ring: "border-slate-200", dot: "bg-emerald-500", text: "text-emerald-700", word: "OK" },
  attention: {
    ring: "border-amber-300 bg-amber-50/40",
    dot: "bg-amber-500",
    text: "text-amber-800",
    word: "Needs attention",
  },
  info: { ring: "border-slate-200", dot: "bg-slate-300", text: "text-slate-500", word: "Information" },
} as const;

const format = new Intl.NumberFormat("en-US");

export function FigureTile({ figure }: { figure: FigureView }) {
  const style = VERDICT[figure.verdict];
  const labelId = `figure-${figure.metric}`;
  return (
    <li
      aria-labelledby={labelId}
      className={`flex flex-col rounded-lg border bg-white px-4 py-3 shadow-xs ${style.ring}`}
    >
      <div className="flex items-start justify-between gap-2">
        <h3 id={labelId} className="text-[13px] font-medium text-slate-600">
          {figure.label}
        </h3>
        <span className={`mt-1 size-2 shrink-0 rounded-full ${style.dot}`} aria-hidden="true" />
      </div>
      <p className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums">
        {format.format(figure.value)}
      </p>
      <p className="mt-0.5 text-xs text-slate-500">{figure.description}</p>
      <p className={`mt-2 text-[11px] font-medium ${style.text}`}>
        {style.word}
        {figure.expectation ? <span className="font-normal text-slate-500"> · {figure.expectation}</span> : null}
      </p>
    </li>
  );
}
