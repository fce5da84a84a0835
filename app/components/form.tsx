import { useNavigation } from "@remix-run/react";
import type { InputHTMLAttributes, ReactNode } from "react";
import { Button } from "~/components/button";
import { cx } from "~/components/classes";

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
        className={cx(
          "mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-xs",
          "placeholder:text-slate-400 focus:outline-none focus-visible:ring-2 focus-visible:ring-offset-1",
          error
            ? "border-red-400 focus-visible:border-red-500 focus-visible:ring-red-500/40"
            : "border-slate-300 focus-visible:border-indigo-500 focus-visible:ring-indigo-500/40",
        )}
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

/**
 * The new password and its repetition, as every form that sets a password asks for them: the
 * length rule and its hint on the first, and each field's own error.
 */
export function NewPasswordFields({
  label = "New password",
  confirmLabel = "Repeat password",
  minLength,
  hint,
  errors,
  autoFocus,
}: {
  label?: string;
  confirmLabel?: string;
  minLength: number;
  hint: ReactNode;
  errors: { password?: string; confirmPassword?: string };
  autoFocus?: boolean;
}) {
  return (
    <>
      <Field
        name="password"
        label={label}
        type="password"
        autoComplete="new-password"
        // Where the new password is the page's first field, that is where every visitor starts.
        // eslint-disable-next-line jsx-a11y/no-autofocus
        autoFocus={autoFocus}
        required
        minLength={minLength}
        hint={hint}
        error={errors.password}
      />
      <Field
        name="confirmPassword"
        label={confirmLabel}
        type="password"
        autoComplete="new-password"
        required
        error={errors.confirmPassword}
      />
    </>
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
    <Button type="submit" size="lg" className="w-full" pending={pending} pendingText={pendingLabel}>
      {children}
    </Button>
  );
}
