import { isRouteErrorResponse, useLocation, useRouteError } from "@remix-run/react";
import { Logo } from "./logo";
import { cx, focusRing } from "~/components/classes";

// The one error boundary: a friendly message per status, never a stack trace. Messages that a
// loader put in the response body on purpose (`{ message }`) are shown; anything else is not.

interface Copy {
  title: string;
  message: string;
  action: { href: string; label: string };
}

const HOME = { href: "/", label: "Go to the home page" };

const COPY: Record<number, Copy> = {
  400: {
    title: "That request could not be understood",
    message: "Check what you entered and try again.",
    action: HOME,
  },
  403: {
    title: "You don't have access to this page",
    message: "Your role does not allow this. Ask an admin if you need it.",
    action: HOME,
  },
  404: {
    title: "Page not found",
    message: "There is nothing at this address. It may have moved, or the link may be mistyped.",
    action: HOME,
  },
  410: {
    title: "This link no longer works",
    message: "It has been used or has expired. Ask an admin for a new one.",
    action: { href: "/login", label: "Go to sign-in" },
  },
  429: {
    title: "Too many attempts",
    message: "Please wait a few minutes before trying again.",
    action: { href: "/login", label: "Back to sign-in" },
  },
  503: {
    title: "Symbol Desk is temporarily unavailable",
    message: "The database is not reachable right now. Try again in a moment.",
    action: { href: "", label: "Try again" },
  },
  500: {
    title: "Something went wrong",
    message:
      "An unexpected error stopped this page. It has been logged; try again, and tell the team if it keeps happening.",
    action: { href: "", label: "Reload the page" },
  },
};

function messageFrom(data: unknown): string | null {
  if (typeof data === "object" && data !== null && typeof (data as { message?: unknown }).message === "string") {
    return (data as { message: string }).message;
  }
  return null;
}

export function describeError(error: unknown): Copy & { status: number } {
  if (isRouteErrorResponse(error)) {
    const status = error.status;
    const base =
      COPY[status] ?? (status >= 500 ? COPY[500]! : { ...COPY[400]!, title: error.statusText || COPY[400]!.title });
    // Only 4xx/503 bodies are written for people; a 500 body may carry internals.
    const own = status === 500 ? null : messageFrom(error.data);
    return { ...base, status, message: own ?? base.message };
  }
  return { ...COPY[500]!, status: 500 };
}

/** The message card, shared by the page-wide boundary and the one inside the console. */
function ErrorCard() {
  const error = useRouteError();
  const location = useLocation();
  const { status, title, message, action } = describeError(error);
  // An empty href means "this page again": a plain link, so it works without JavaScript too.
  const href = action.href || `${location.pathname}${location.search}`;
  return (
    <section
      role="alert"
      aria-labelledby="error-title"
      className="w-full max-w-md rounded-lg border border-slate-200 bg-white p-8 text-center shadow-sm"
    >
      <p className="font-mono text-xs font-semibold tracking-widest text-indigo-600">ERROR {status}</p>
      <h1 id="error-title" className="mt-2 text-xl font-semibold text-slate-900">
        {title}
      </h1>
      <p className="mt-3 text-sm leading-6 text-slate-600">{message}</p>
      <a
        href={href}
        className={cx(
          "mt-6 inline-flex items-center rounded-md bg-slate-900 px-3 py-2",
          "text-sm font-semibold text-white hover:bg-slate-700",
          "focus-visible:ring-offset-2",
          focusRing,
        )}
      >
        {action.label}
      </a>
    </section>
  );
}

/** The root's boundary: the whole page, for errors outside the console (or in its layout). */
export function GeneralErrorBoundary() {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-slate-100 px-4 py-16">
      <a href="/" className={cx("mb-6 flex items-center gap-2.5 rounded-sm", focusRing)}>
        <Logo className="size-8" />
        <span className="text-lg font-semibold tracking-tight text-slate-900">Symbol Desk</span>
      </a>
      <ErrorCard />
    </div>
  );
}

/**
 * A console page's boundary, exported as `ErrorBoundary` by every route under the console layout:
 * the error replaces only the page, so the navigation (and the rollback banner) stay.
 */
export function ConsoleErrorBoundary() {
  return (
    <div className="flex justify-center py-10">
      <ErrorCard />
    </div>
  );
}
