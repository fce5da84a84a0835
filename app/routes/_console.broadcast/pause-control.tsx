import { useFetcher } from "@remix-run/react";
import { Button } from "~/components/button";
import { When } from "~/components/status-pills";
import type { action } from "./route";
import { cx, focusRing } from "~/components/classes";

// Pause and resume broadcasting (admins). The switch is in the database, so it holds across
// restarts and for a broadcaster in another process; every change is kept with who and why.

export interface ControlView {
  paused: boolean;
  changedAt: string | Date;
  changedBy: string | null;
}

export interface ControlEventView {
  id: string;
  paused: boolean;
  reason: string | null;
  created_at: string | Date;
  staff_name: string | null;
}

export function PauseControl({
  control,
  events,
  canSteer,
}: {
  control: ControlView;
  events: ControlEventView[];
  canSteer: boolean;
}) {
  const fetcher = useFetcher<typeof action>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const error = answer && answer.kind === "invalid" ? answer.fieldErrors : null;
  const busy = fetcher.state !== "idle";
  return (
    <section aria-labelledby="control-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
      <h2 id="control-heading" className="text-sm font-semibold text-slate-900">
        Broadcasting is {control.paused ? "paused" : "on"}
      </h2>
      <p className="mt-0.5 text-xs text-slate-500">
        {control.changedBy ? (
          <>
            Last changed by {control.changedBy}, <When at={control.changedAt} />
          </>
        ) : (
          "Never paused."
        )}
      </p>
      {canSteer ? (
        <fetcher.Form method="post" className="mt-3 flex flex-wrap items-end gap-2">
          <input type="hidden" name="intent" value={control.paused ? "resume" : "pause"} />
          <label className="flex min-w-48 flex-1 flex-col gap-1 text-xs font-medium text-slate-700">
            Reason (kept in the history)
            <input
              name="reason"
              maxLength={200}
              aria-invalid={error?.reason ? true : undefined}
              aria-describedby={error?.reason ? "reason-error" : undefined}
              className={cx("rounded border border-slate-300 px-2 py-1 text-[13px] font-normal", focusRing)}
            />
          </label>
          <Button type="submit" variant={control.paused ? "primary" : "warning"} pending={busy} pendingText="Saving…">
            {control.paused ? "Resume broadcasting" : "Pause broadcasting"}
          </Button>
          {error?.reason ? (
            <p id="reason-error" role="alert" className="w-full text-xs text-red-700">
              {error.reason}
            </p>
          ) : null}
        </fetcher.Form>
      ) : (
        <p className="mt-3 text-xs text-slate-500">Only admins can pause or resume broadcasting.</p>
      )}
      {events.length > 0 ? (
        <ol aria-label="Pause history" className="mt-3 space-y-1 border-t border-slate-100 pt-2 text-xs text-slate-600">
          {events.map((e) => (
            <li key={e.id}>
              <span className="font-medium text-slate-800">{e.paused ? "Paused" : "Resumed"}</span> by{" "}
              {e.staff_name ?? "a removed account"}, <When at={e.created_at} />
              {e.reason ? <span className="text-slate-500"> — {e.reason}</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
