import { StatusChip, utc } from "~/components/status-chip";
import type { StepGate } from "./gate.server";

// What the admin has in view before confirming the next apply or rollback (db/gate/gate.ts makes
// the report).

export function GatePanel({ gate }: { gate: StepGate }) {
  const { drift } = gate;
  const before = gate.direction === "up" ? "Before applying" : "Before rolling back";
  const driftLines = [
    ...drift.missing.map((l) => `missing ${l}`),
    ...drift.extra.map((l) => `extra ${l}`),
    ...drift.invalid.map((l) => `invalid index ${l}`),
    ...drift.unknown.map((l) => `no stored expectation for ${l}`),
  ];
  return (
    <section
      aria-label={`Gate ${before.toLowerCase()} ${gate.migration}`}
      className="rounded-md border border-slate-200 bg-slate-50 p-3 text-[12px] text-slate-700"
    >
      <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
        {before} <code className="font-mono">{gate.migration}</code>
        {gate.concerns.length === 0 ? (
          <StatusChip tone="pass">nothing off</StatusChip>
        ) : (
          <StatusChip tone="fail">{gate.concerns.join("; ")}</StatusChip>
        )}
      </p>
      <dl className="mt-2 grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
        <dt className="text-slate-500">Lint (squawk)</dt>
        <dd>
          {gate.findings === null
            ? "not run on this server (npm run lint:migrations)"
            : gate.findings.length === 0
              ? "0 findings"
              : gate.findings.map((f) => `${f.rule}: ${f.message}`).join(" · ")}
        </dd>
        <dt className="text-slate-500">Schema drift</dt>
        <dd>
          {driftLines.length === 0 ? (
            "none: the live schema is what the applied migrations make"
          ) : (
            <ul className="font-mono text-[11px] text-red-800">
              {driftLines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </dd>
        <dt className="text-slate-500">Last rehearsal</dt>
        <dd>
          {gate.rehearsal
            ? `${gate.rehearsal.passed ? "passed" : "FAILED"} ${utc(gate.rehearsal.startedAt)} on ` +
              `${gate.rehearsal.engineLabel}: up ${gate.rehearsal.upMs ?? "–"} ms, ` +
              `down ${gate.rehearsal.downMs ?? "–"} ms, re-apply ${gate.rehearsal.reapplyMs ?? "–"} ms`
            : "none: rehearse it below first"}
          {gate.rehearsal?.parts ? <p className="text-slate-500">{gate.rehearsal.parts}</p> : null}
        </dd>
        <dt className="text-slate-500">Locks</dt>
        <dd>
          <p>
            each waits at most lock_timeout {gate.lockTimeout}; each statement runs at most {gate.timeouts.statement}
          </p>
          {gate.locks === null ? (
            <p>unknown until the migrations are linted on this server</p>
          ) : gate.locks.length === 0 ? (
            <p>none on existing tables</p>
          ) : (
            <ul>
              {gate.locks.map(({ level, table, statements, blocks }) => (
                <li key={table}>
                  {level} on <code className="font-mono">{table}</code> ({statements} statements; blocks {blocks})
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </section>
  );
}
