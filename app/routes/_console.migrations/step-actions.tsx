import type { ReactNode } from "react";
import type { SerializeFrom } from "@remix-run/node";
import { useFetcher } from "@remix-run/react";
import { Button } from "~/components/button";
import type { action } from "./route";
import { cx, focusRing } from "~/components/classes";

// An admin's one-step actions. Each opens a confirmation (a disclosure, so it works without
// JavaScript and from the keyboard) that says what will change before the button that does it.

export interface StepView {
  name: string;
  summary: string;
  up: string[];
  down: string[];
  /** Why this step is not offered here (the console's own migrations), or null. */
  refusal?: string | null;
}

function Result({
  data,
  pending,
  pendingText,
}: {
  data: SerializeFrom<typeof action> | undefined;
  pending: boolean;
  pendingText: string;
}) {
  return (
    <p aria-live="polite" className={`text-xs ${data && !data.ok ? "font-medium text-red-700" : "text-slate-700"}`}>
      {pending ? pendingText : data ? (data.ok ? data.message : data.error) : ""}
    </p>
  );
}

export function StepAction({
  intent,
  step,
  verb,
  tone,
  blockedBy,
  gate,
}: {
  intent: "apply" | "rollback";
  step: StepView | null;
  verb: string;
  tone: "primary" | "danger";
  /** For a rollback: what else would have to go first to reach a given migration. */
  blockedBy?: string | null;
  /** The gate before this step (lint, drift, last rehearsal, locks), shown above the button that runs it. */
  gate?: ReactNode;
}) {
  const fetcher = useFetcher<typeof action>({ key: `migration-${intent}` });
  const pending = fetcher.state !== "idle";
  const verbing = verb === "Apply" ? "Applying" : "Rolling back";
  if (!step) {
    return (
      <div className="space-y-2">
        <p className="text-[13px] text-slate-500">
          {intent === "apply" ? "Nothing to apply: every migration is applied." : "Nothing to roll back."}
        </p>
        {/* The last step's outcome stays readable after it emptied the list. */}
        <Result data={fetcher.data} pending={pending} pendingText={`${verbing}…`} />
      </div>
    );
  }
  if (step.refusal) {
    return (
      <div
        className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3"
        role="note"
        aria-label={`${verb} ${step.name}`}
      >
        <p className="text-[13px] font-medium text-amber-900">
          {verb} one step: <code className="font-mono text-[12px]">{step.name}</code> is not offered here.
        </p>
        <p className="text-[13px] text-amber-900">{step.refusal}</p>
        <Result data={fetcher.data} pending={pending} pendingText={`${verbing}…`} />
      </div>
    );
  }
  const effects = intent === "apply" ? step.up : step.down;

  return (
    <div className="space-y-2">
      {/* Keyed by the step: when the next step changes, its confirmation starts closed. */}
      <details key={step.name} className="group rounded-md border border-slate-200">
        <summary
          className={cx(
            "flex cursor-pointer items-center justify-between gap-2 px-3 py-2",
            "text-[13px] font-medium text-slate-800 hover:bg-slate-50",
            focusRing,
          )}
        >
          <span>
            {verb} one step: <code className="font-mono text-[12px]">{step.name}</code>…
          </span>
          <span aria-hidden="true" className="text-slate-500 group-open:rotate-180">
            ▾
          </span>
        </summary>
        <div className="space-y-2 border-t border-slate-200 px-3 py-3">
          <p className="text-[13px] text-slate-600">{step.summary}</p>
          <p className="text-xs font-semibold text-slate-700">What will change:</p>
          <ul className="list-disc space-y-1 pl-5 text-[13px] text-slate-700">
            {effects.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {blockedBy ? <p className="text-xs text-amber-800">{blockedBy}</p> : null}
          {gate}
          <fetcher.Form method="post" className="flex items-center gap-3 pt-1">
            <input type="hidden" name="intent" value={intent} />
            <input type="hidden" name="migration" value={step.name} />
            <Button type="submit" variant={tone} pending={pending} pendingText={`${verbing}…`}>
              {`Yes, ${verb.toLowerCase()} ${step.name}`}
            </Button>
          </fetcher.Form>
        </div>
      </details>
      <Result data={fetcher.data} pending={pending} pendingText={`${verbing} ${step.name}…`} />
    </div>
  );
}

export function RepairAction({ interrupted }: { interrupted: string[] }) {
  const fetcher = useFetcher<typeof action>({ key: "migration-repair" });
  const pending = fetcher.state !== "idle";
  if (interrupted.length === 0) return null;
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-3">
      <p className="text-[13px] text-amber-900">
        Interrupted: <code className="font-mono">{interrupted.join(", ")}</code>. A run was killed or failed midway;
        repair re-runs the direction that was under way (every migration here is re-runnable).
      </p>
      <fetcher.Form method="post" className="mt-2 flex items-center gap-3">
        <input type="hidden" name="intent" value="repair" />
        <Button type="submit" variant="warning" pending={pending} pendingText="Repairing…">
          Repair interrupted runs
        </Button>
        <Result data={fetcher.data} pending={pending} pendingText="Repairing…" />
      </fetcher.Form>
    </div>
  );
}
