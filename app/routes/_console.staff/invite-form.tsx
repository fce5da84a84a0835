import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Button } from "~/components/button";
import { Field, FormAlert } from "~/components/form";
import { LinkReveal } from "./link-reveal";
import type { action } from "./route";
import { ROLES } from "./roles";
import { cx } from "~/components/classes";

// Invite someone: name, email and role; the answer carries the one-time link to pass on.

export function InviteForm() {
  const fetcher = useFetcher<typeof action>();
  const form = useRef<HTMLFormElement>(null);
  const pending = fetcher.state !== "idle";
  const result = fetcher.data;
  const errors = result?.fieldErrors ?? {};
  useEffect(() => {
    if (result?.ok) form.current?.reset();
  }, [result]);
  return (
    <section
      aria-labelledby="invite-heading"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-xs"
    >
      <h2 id="invite-heading" className="text-sm font-semibold text-slate-900">
        Invite a staff member
      </h2>
      <fetcher.Form ref={form} method="post" noValidate className="grid items-start gap-3 sm:grid-cols-4">
        <input type="hidden" name="intent" value="invite" />
        <Field name="displayName" label="Name" autoComplete="off" required error={errors.displayName} />
        <Field name="email" label="Email" type="email" autoComplete="off" required error={errors.email} />
        <div>
          <label htmlFor="invite-role" className="block text-sm font-medium text-slate-700">
            Role
          </label>
          <select
            id="invite-role"
            name="role"
            defaultValue="viewer"
            aria-invalid={errors.role ? true : undefined}
            className={cx(
              "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-2 text-sm",
              "focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500",
            )}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
          {errors.role ? <p className="mt-1 text-xs font-medium text-red-600">{errors.role}</p> : null}
        </div>
        <div className="pt-6">
          <Button type="submit" size="lg" className="w-full" pending={pending} pendingText="Creating invitation…">
            Create invitation link
          </Button>
        </div>
      </fetcher.Form>
      {result && !result.ok && result.message ? <FormAlert message={result.message} /> : null}
      {result?.link ? <LinkReveal link={result.link} /> : null}
    </section>
  );
}
