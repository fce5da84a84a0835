import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Button } from "~/components/button";
import { Field, FormAlert, NewPasswordFields } from "~/components/form";
import type { action } from "./route";

// Change one's own password: the current one, then the new one twice.

export function PasswordForm(props: { email: string; minPasswordLength: number; passwordHint: string }) {
  const fetcher = useFetcher<typeof action>();
  const form = useRef<HTMLFormElement>(null);
  const pending = fetcher.state !== "idle";
  const result = fetcher.data;
  const errors = result?.fieldErrors ?? {};
  useEffect(() => {
    if (result?.ok) form.current?.reset();
  }, [result]);
  return (
    <section aria-labelledby="password-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
      <h2 id="password-heading" className="text-sm font-semibold text-slate-900">
        Change your password
      </h2>
      <p className="mt-0.5 text-xs text-slate-500">Every other session of yours ends; this one stays signed in.</p>
      <fetcher.Form ref={form} method="post" noValidate className="mt-3 max-w-sm space-y-1">
        <input type="hidden" name="intent" value="password" />
        <input type="hidden" name="username" autoComplete="username" value={props.email} readOnly />
        <Field
          name="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          error={errors.currentPassword}
        />
        <NewPasswordFields
          confirmLabel="Repeat new password"
          minLength={props.minPasswordLength}
          hint={props.passwordHint}
          errors={errors}
        />
        <FormAlert tone={result?.ok ? "info" : "error"} message={result?.message} />
        <div className="pt-2">
          <Button type="submit" size="lg" pending={pending} pendingText="Changing password…">
            Change password
          </Button>
        </div>
      </fetcher.Form>
    </section>
  );
}
