import { useEffect, useRef, useState } from "react";

// A short "Saved" after an inline edit succeeds: the changed timestamp alone is easy to miss, and
// a screen reader hears nothing of it. The live region is always in the page (a region inserted
// together with its text is not announced); only its text comes and goes.

const SHOWN_MS = 4000;

/** True for a few seconds after each new `answer` (a fetcher's data object) that is a success. */
export function useSavedFlash(answer: unknown, saved: boolean): boolean {
  const [shown, setShown] = useState(false);
  // A keyed fetcher keeps its data across remounts: an answer already there at mount is old news.
  const atMount = useRef(answer);
  useEffect(() => {
    if (!saved || answer === atMount.current) {
      setShown(false);
      return;
    }
    setShown(true);
    const timer = setTimeout(() => setShown(false), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [answer, saved]);
  return shown;
}

/** `message` is what a screen reader hears ("Priority of BTCUSDT saved."); the eye sees "Saved". */
export function SavedNote({
  shown,
  message,
  visible = "Saved",
}: {
  shown: boolean;
  message: string;
  visible?: string;
}) {
  return (
    <span role="status" className="text-xs font-medium text-emerald-800">
      {shown ? (
        <>
          <span aria-hidden="true">✓ {visible}</span>
          <span className="sr-only">{message}</span>
        </>
      ) : null}
    </span>
  );
}
