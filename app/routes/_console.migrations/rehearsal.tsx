import { useFetcher } from "@remix-run/react";
import { Button } from "~/components/button";
import { StatusChip, utc } from "~/components/status-chip";
import type { action } from "./route";
import { cx, focusRing } from "~/components/classes";

// Rehearse a migration on a scratch copy, and the result of the latest rehearsals: each step with
// its duration against the seed's targets, and whether the symbols checksum came back equal.

export interface RehearsalView {
  id?: string;
  actor?: string;
  migration: string;
  engineLabel: string;
  startedAt: string;
  method: string;
  methodNote: string;
  upMs: number | null;
  downMs: number | null;
  reapplyMs: number | null;
  checksumEqual: boolean | null;
  passed: boolean;
  steps: { name: string; ok: boolean; durationMs: number; detail: string }[];
}

const timing = (value: number | null, target: number) =>
  value === null ? (
    <span className="text-slate-500">–</span>
  ) : (
    <span className={`font-semibold tabular-nums ${value < target ? "text-emerald-700" : "text-red-700"}`}>
      {value} ms
    </span>
  );

export function RehearsalResult({ r, targets }: { r: RehearsalView; targets: { upMs: number; downMs: number } }) {
  return (
    <div
      className="space-y-2 rounded-md border border-slate-200 p-3"
      aria-label={`Rehearsal of ${r.migration}`}
      role="group"
    >
      <div className="flex flex-wrap items-center gap-2 text-[13px]">
        <StatusChip tone={r.passed ? "pass" : "fail"}>{r.passed ? "passed" : "failed"}</StatusChip>
        <span className="font-mono text-[12px]">{r.migration}</span>
        <span className="text-slate-500">
          {utc(r.startedAt)}
          {r.actor ? ` by ${r.actor}` : ""} on {r.engineLabel}
        </span>
      </div>
      <dl className="grid grid-cols-2 gap-2 text-xs sm:grid-cols-4">
        <div>
          <dt className="text-slate-500">Up (&lt; {targets.upMs / 1000} s)</dt>
          <dd>{timing(r.upMs, targets.upMs)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Down (&lt; {targets.downMs / 1000} s)</dt>
          <dd>{timing(r.downMs, targets.downMs)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Re-apply (&lt; {targets.upMs / 1000} s)</dt>
          <dd>{timing(r.reapplyMs, targets.upMs)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Data checksum</dt>
          <dd className={`font-semibold ${r.checksumEqual ? "text-emerald-700" : "text-red-700"}`}>
            {r.checksumEqual === null ? "not compared" : r.checksumEqual ? "came back equal" : "DIFFERENT"}
          </dd>
        </div>
      </dl>
      <ol className="space-y-0.5 text-xs">
        {r.steps.map((s, i) => (
          <li key={`${s.name}-${i}`} className="flex gap-2">
            <span aria-hidden="true" className={s.ok ? "text-emerald-600" : "text-red-600"}>
              {s.ok ? "✓" : "✗"}
            </span>
            <span className="w-40 shrink-0 font-medium text-slate-700">
              {s.name}
              <span className="sr-only">{s.ok ? " succeeded" : " failed"}</span>
            </span>
            <span className="text-slate-600">{s.detail}</span>
          </li>
        ))}
      </ol>
      <p className="text-[11px] text-slate-500">Scratch copy: {r.methodNote}</p>
    </div>
  );
}

export function RehearseForm({
  names,
  defaultName,
  targets,
  canAct,
}: {
  names: string[];
  defaultName: string | null;
  targets: { upMs: number; downMs: number };
  canAct: boolean;
}) {
  const fetcher = useFetcher<typeof action>({ key: "migration-rehearse" });
  const pending = fetcher.state !== "idle";
  const result = fetcher.data;
  return (
    <div className="space-y-3">
      {canAct ? (
        <fetcher.Form method="post" className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="intent" value="rehearse" />
          <label className="text-xs font-medium text-slate-600">
            Migration
            <select
              key={defaultName}
              name="migration"
              defaultValue={defaultName ?? undefined}
              className={cx(
                "mt-0.5 block rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-[12px]",
                focusRing,
              )}
            >
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <Button type="submit" variant="subtle" pending={pending} pendingText="Rehearsing…">
            Rehearse on a scratch copy
          </Button>
        </fetcher.Form>
      ) : null}
      <p
        aria-live="polite"
        className={`text-xs ${result && !result.ok ? "font-medium text-red-700" : "text-slate-700"}`}
      >
        {pending
          ? "Copying the database, then up → validate → down → validate → up…"
          : result
            ? result.ok
              ? result.message
              : result.error
            : ""}
      </p>
      {result?.ok && result.rehearsal && !result.stored ? (
        <RehearsalResult r={result.rehearsal} targets={targets} />
      ) : null}
    </div>
  );
}
