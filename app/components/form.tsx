import { useNavigation } from "@remix-run/react";
import type { InputHTMLAttributes, ReactNode } from "react";
import { cx, focusRing } from "~/components/classes";

// Form pieces: a labelled input with its error beside it, a form-level alert and a submit
// button that shows the pending state while its form is being submitted.

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
}

export function Field({ name, label, error, hint, id = `field-${name}`, className = "", ...input }: FieldProps) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-[13px] font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:outline-none focus-visible:ring-2 focus-visible:ring-offset-1 ${
          error
            ? "border-red-400 focus-visible:border-red-500 focus-visible:ring-red-500/40"
            : "border-slate-300 focus-visible:border-indigo-500 focus-visible:ring-indigo-500/40"
        }`}
        {...input}
      />
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <p id={errorId} className="mt-1 min-h-4 text-xs font-medium text-red-600" aria-live="polite">
        {error ?? ""}
      </p>
    </div>
  );
}

export function FormAlert({ message, tone = "error" }: { message?: string | null; tone?: "error" | "info" }) {
  const styles = tone === "error" ? "border-red-200 bg-red-50 text-red-800" : "border-sky-200 bg-sky-50 text-sky-900";
  return (
    <div aria-live="assertive" aria-atomic="true">
      {message ? (
        <p role={tone === "error" ? "alert" : "status"} className={`rounded-md border px-3 py-2 text-sm ${styles}`}>
          {message}
        </p>
      ) : null}
    </div>
  );
}

export function SubmitButton({
  children,
  pendingLabel,
  action,
}: {
  children: ReactNode;
  pendingLabel: string;
  action?: string;
}) {
  const navigation = useNavigation();
  const pending =
    navigation.state === "submitting" && (action === undefined || navigation.formAction?.split("?")[0] === action);
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className={cx(
        "inline-flex w-full items-center justify-center gap-2 rounded-md",
        "bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm",
        "transition-colors hover:bg-indigo-500 focus-visible:ring-offset-2",
        "disabled:cursor-wait disabled:opacity-70",
        focusRing,
      )}
    >
      {pending ? <Spinner /> : null}
      {pending ? pendingLabel : children}
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
