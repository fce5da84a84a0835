import { useLocation, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Button } from "./button";

// Panels that watch a live database re-read their data on an interval. The person can pause it
// (the choice is remembered per browser), and the panel always says when its data was read.
// A hidden tab does not refresh; it catches up when shown again.

const STORAGE_KEY = "symbol-desk.live-refresh.paused";

function readPaused(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === "1";
  } catch {
    return false;
  }
}

export function LiveRefresh({
  readAt,
  intervalSeconds,
  label,
}: {
  readAt: string;
  intervalSeconds: number;
  label?: string;
}) {
  const revalidator = useRevalidator();
  const location = useLocation();
  const [paused, setPaused] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => {
    setPaused(readPaused());
    setHydrated(true);
  }, []);

  useEffect(() => {
    if (paused || !hydrated) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, intervalSeconds * 1000);
    return () => window.clearInterval(timer);
  }, [paused, hydrated, intervalSeconds, revalidator]);

  const toggle = () => {
    const next = !paused;
    setPaused(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next ? "1" : "0");
    } catch {
      // Private windows may refuse storage: the choice then lasts for this page only.
    }
  };

  const time = new Date(readAt).toISOString().slice(11, 19);
  const refreshing = revalidator.state === "loading";
  return (
    <div
      className="ml-auto flex items-center gap-2 text-xs text-slate-500"
      aria-label={label ?? "Live refresh"}
      role="group"
    >
      <span className="inline-flex items-center gap-1.5">
        <span
          aria-hidden="true"
          className={
            `size-1.5 rounded-full ` +
            `${refreshing ? "animate-pulse bg-indigo-500" : paused || !hydrated ? "bg-slate-300" : "bg-emerald-500"}`
          }
        />
        read at <time dateTime={readAt}>{time} UTC</time>
      </span>
      {hydrated ? (
        <>
          <span aria-hidden="true">·</span>
          <span aria-live="polite">{paused ? "live refresh paused" : `refreshes every ${intervalSeconds} s`}</span>
          <Button variant="secondary" size="xs" onClick={toggle} aria-pressed={paused}>
            {paused ? "Resume" : "Pause"}
          </Button>
        </>
      ) : (
        <a
          href={`${location.pathname}${location.search}`}
          className="underline decoration-slate-300 hover:text-slate-700"
        >
          Reload
        </a>
      )}
    </div>
  );
}
