import type { ButtonHTMLAttributes, ReactNode } from "react";
import { cx, focusRing } from "~/components/classes";

// Every button of the console: one look per kind of action, one size scale, and one pending
// state (disabled, a spinner where there is room, and the words of the work in progress).

const variants = {
  /** The action a form or panel is for. */
  primary: "bg-indigo-600 font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:ring-offset-2",
  /** A second action beside a primary one, or one of many in a table row. */
  secondary: "border border-slate-300 bg-white font-medium text-slate-700 hover:bg-slate-50",
  /** An optional action that still deserves attention (rehearse, change a role, copy a link). */
  subtle: "border border-indigo-300 bg-indigo-50 font-medium text-indigo-800 hover:bg-indigo-100",
  /** The confirmation of a step that cannot be taken back. */
  danger: "bg-red-600 font-semibold text-white shadow-sm hover:bg-red-500 focus-visible:ring-offset-2",
  /** A destructive action that asks before it acts, among others in a row. */
  dangerSubtle: "border border-red-200 bg-white font-medium text-red-700 hover:bg-red-50",
  /** An action that stops or repairs something running. */
  warning: "bg-amber-700 font-semibold text-white shadow-sm hover:bg-amber-800 focus-visible:ring-offset-2",
  /** A button on the dark console header. */
  inverse:
    "border border-slate-700 font-medium text-slate-200 hover:border-slate-500 hover:bg-slate-800 hover:text-white",
};

// Which ring wins between two ring colours depends on the stylesheet's order, not the class
// list's, so a variant with a ring of its own does not get `focusRing`'s as well.
const ownRing: Partial<Record<keyof typeof variants, string>> = {
  danger: "focus:outline-none focus-visible:ring-2 focus-visible:ring-red-500",
  dangerSubtle: "focus:outline-none focus-visible:ring-2 focus-visible:ring-red-400",
  warning: "focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-500",
  inverse: "focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400",
};

const sizes = {
  xs: "rounded px-2 py-0.5 text-xs",
  sm: "rounded-md px-3 py-1 text-[13px]",
  md: "rounded-md px-3 py-1.5 text-[13px]",
  lg: "rounded-md px-3 py-2 text-sm",
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: keyof typeof variants;
  size?: keyof typeof sizes;
  /** While true the button is disabled and shows `pendingText` instead of its children. */
  pending?: boolean;
  pendingText?: ReactNode;
  /** Words only a screen reader hears after the visible text: what the button acts on. */
  srText?: ReactNode;
}

export function Button({
  variant = "primary",
  size = "md",
  pending = false,
  pendingText,
  srText,
  disabled,
  type = "button",
  className,
  children,
  ...button
}: ButtonProps) {
  return (
    <button
      type={type}
      disabled={pending || disabled}
      className={cx(
        "inline-flex items-center justify-center gap-1.5 whitespace-nowrap transition-colors disabled:opacity-60",
        pending && "cursor-wait",
        ownRing[variant] ?? focusRing,
        variants[variant],
        sizes[size],
        className,
      )}
      {...button}
    >
      {pending && size !== "xs" ? <Spinner /> : null}
      {pending && pendingText !== undefined ? pendingText : children}
      {srText ? <span className="sr-only"> {srText}</span> : null}
    </button>
  );
}

export function Spinner() {
  return (
    <svg className="size-4 animate-spin" viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <circle className="opacity-25" cx="12" cy="12" r="10" stroke="currentColor" strokeWidth="4" />
      <path className="opacity-75" fill="currentColor" d="M4 12a8 8 0 018-8v4a4 4 0 00-4 4H4z" />
    </svg>
  );
}
