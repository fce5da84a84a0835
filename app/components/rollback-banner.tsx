import { Link } from "@remix-run/react";
import { cx } from "~/components/classes";
import { useEffect, useState } from "react";

// The red banner of the seed's rollback triggers, on every console page while one fires. It names
// each trigger and links to the go/no-go board. A labelled region that is announced when it
// appears (aria-live), not role="alert": pages keep role="alert" for their own form errors.
// An open page asks /rollback-triggers half a second after each answer while it is visible, so the
// banner appears and goes within about a second of a change, without a reload; whichever answer
// was read last wins. (The operator-flipped triggers cost two index lookups: cheap to ask often.)

const POLL_MS = 500;

export interface BannerTrigger {
  id: string;
  title: string;
  detail: string;
}

export function RollbackBanner({ triggers: fromPage, readAt }: { triggers: BannerTrigger[]; readAt: number }) {
  const [polled, setPolled] = useState<{ triggers: BannerTrigger[]; readAt: number } | null>(null);
  // A plain fetch, not a fetcher: a failed answer (signed out, server restarting) is skipped and
  // asked again, never shown as the page's error. The next question goes half a second after the
  // last answer, so a slow answer is never cut short by the next one.
  useEffect(() => {
    let stopped = false;
    let timer = 0;
    const ask = async () => {
      if (document.visibilityState === "visible") {
        try {
          const response = await fetch("/rollback-triggers", { headers: { accept: "application/json" } });
          if (response.ok && !stopped)
            setPolled((await response.json()) as { triggers: BannerTrigger[]; readAt: number });
        } catch {
          // Offline or restarting: the next turn asks again.
        }
      }
      if (!stopped) timer = window.setTimeout(() => void ask(), POLL_MS);
    };
    timer = window.setTimeout(() => void ask(), POLL_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, []);
  const triggers = polled && polled.readAt > readAt ? polled.triggers : fromPage;
  if (triggers.length === 0) return null;
  return (
    <section
      aria-label="Rollback triggers"
      aria-live="assertive"
      data-fixed-palette
      className="border-b border-red-800 bg-red-700 text-white"
    >
      <div className="mx-auto flex max-w-7xl flex-wrap items-start gap-x-4 gap-y-1 px-4 py-2 sm:px-6">
        <p className="flex items-center gap-2 text-[13px] font-semibold">
          <svg viewBox="0 0 20 20" className="size-4 shrink-0" aria-hidden="true" fill="currentColor">
            <path
              fillRule="evenodd"
              d={
                "M8.26 2.9a2 2 0 0 1 3.48 0l6.5 11.6A2 2 0 0 1 16.5 17.5h-13a2 2 0 0 1-1.74-3L8.26 2.9ZM10 7a.75.75 " +
                "0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 7Zm0 7.5a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
              }
              clipRule="evenodd"
            />
          </svg>
          Rollback trigger{triggers.length === 1 ? "" : "s"} firing:
        </p>
        <ul className="flex min-w-0 flex-1 flex-wrap gap-x-4 gap-y-0.5 text-[13px]">
          {triggers.map((t) => (
            <li key={t.id} title={t.detail}>
              <span className="font-medium">{t.title}</span>
              <span className="sr-only">: {t.detail}</span>
            </li>
          ))}
        </ul>
        <Link
          to="/readiness"
          className={cx(
            "rounded border border-red-300/60 px-2 py-0.5 text-[12px] font-medium",
            "text-white hover:bg-red-600 focus:outline-none focus-visible:ring-2",
            "focus-visible:ring-white",
          )}
        >
          Go/no-go board
        </Link>
      </div>
    </section>
  );
}
