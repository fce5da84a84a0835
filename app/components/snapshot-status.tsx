import { useFetcher } from "@remix-run/react";
import { Button } from "~/components/button";
import { cx } from "~/components/classes";
import type { refreshSnapshotsFromForm } from "~/utils/page-snapshots.server";
import { REFRESH_INTENT } from "~/utils/refresh-intent";

// When a page's stored snapshot was taken, and "Refresh now", which posts to the page's own action
// to retake it live. Without JavaScript the form posts and the page comes back refreshed.

function when(iso: string): string {
  const sameDay = iso.slice(0, 10) === new Date().toISOString().slice(0, 10);
  return `${sameDay ? "" : `${iso.slice(0, 10)} `}${iso.slice(11, 19)} UTC`;
}

export function SnapshotStatus({
  snapshot,
  what,
  prefix,
}: {
  snapshot: { takenAt: string; takenBy: string; computedNow: boolean };
  /** What a refresh retakes, for its pending message ("figures and checks"). */
  what: string;
  prefix?: string;
}) {
  const fetcher = useFetcher<typeof refreshSnapshotsFromForm>({ key: `refresh-snapshot:${what}` });
  const pending = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  return (
    <div className="ml-auto flex flex-col items-end gap-1.5">
      <p className="text-xs text-slate-500">
        {prefix ? `${prefix} · ` : null}
        as of <time dateTime={snapshot.takenAt}>{when(snapshot.takenAt)}</time>
        {snapshot.computedNow ? " (none was stored yet: computed for this page)" : null}
      </p>
      <fetcher.Form method="post" className="flex items-center gap-2">
        <input type="hidden" name="intent" value={REFRESH_INTENT} />
        <p aria-live="polite" className={cx("text-xs", result && !result.ok ? "text-red-700" : "text-slate-600")}>
          {pending ? `Refreshing the ${what}…` : result ? (result.ok ? result.message : result.error) : ""}
        </p>
        <Button type="submit" variant="secondary" size="sm" pending={pending} pendingText="Refreshing…">
          Refresh now
        </Button>
      </fetcher.Form>
    </div>
  );
}
