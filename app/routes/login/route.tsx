import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { countStaff, createStaffSession, deleteStaffSession, verifyStaffCredentials } from "#db/repositories/staff";
import { recordSecurityEvent } from "#db/security/events";
import { clearSignInFailures, recordSignInFailure, signInBuckets, signInWait } from "#db/security/throttle";
import { readForm } from "~/utils/console-forms.server";
import { AuthCard } from "~/components/auth-card";
import { Field, FormAlert, SubmitButton } from "~/components/form";
import { withDb } from "~/utils/db.server";
import { type FieldErrors, parseForm } from "~/utils/forms.server";
import { LoginSchema } from "./schema.server";
import { getOptionalStaff, safeRedirect } from "~/utils/permissions.server";
import { clientAddressOf, waitText } from "~/utils/sign-in-attempts.server";
import { SESSION_TTL_MS, commitNewSession, readSessionId } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Symbol Desk" }];

interface ActionData {
  fieldErrors?: FieldErrors;
  formError?: string;
  email?: string;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (await getOptionalStaff(request)) throw redirect(redirectTo);
  // A fresh install has nobody to sign in as: the first visitor creates the first admin.
  if ((await withDb(({ db }) => countStaff(db))) === 0) throw redirect("/setup");
  return { redirectTo };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(LoginSchema, await readForm(request));
  if (!parsed.ok) return data<ActionData>({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  const { email, password } = parsed.data;
  const clientAddress = clientAddressOf(context);
  const buckets = signInBuckets(email, clientAddress);

  // Throttled attempts are not checked at all, so waiting is the only way on.
  const wait = await withDb(({ db }) => signInWait(db, buckets));
  if (wait > 0) {
    await withDb(({ db }) => recordSecurityEvent(db, { kind: "sign_in_throttled", email, clientAddress }));
    return data<ActionData>(
      { formError: `Too many failed sign-in attempts. Try again in ${waitText(wait)}.`, email },
      { status: 429, headers: { "Retry-After": String(wait) } },
    );
  }

  const staff = await withDb(({ db }) => verifyStaffCredentials(db, email, password));
  if (!staff) {
    await withDb(async ({ db }) => {
      await recordSignInFailure(db, buckets);
      await recordSecurityEvent(db, { kind: "sign_in_failed", email, clientAddress });
    });
    return data<ActionData>({ formError: "The email or password is incorrect.", email }, { status: 400 });
  }
  await withDb(async ({ db }) => {
    await clearSignInFailures(db, buckets);
    await recordSecurityEvent(db, { kind: "sign_in", staffId: staff.id, email, clientAddress });
  });

  // A new session id at every sign-in; the one this browser had before (if any) is revoked.
  const previous = await readSessionId(request);
  const session = await withDb(async ({ db }) => {
    if (previous) await deleteStaffSession(db, previous);
    return createStaffSession(db, staff.id, SESSION_TTL_MS, request.headers.get("User-Agent"));
  });
  throw redirect(safeRedirect(parsed.data.redirectTo), {
    headers: { "Set-Cookie": await commitNewSession(request, session.id, session.expiresAt) },
  });
}

export default function LoginPage() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors ?? {};
  return (
    <AuthCard
      title="Sign in"
      subtitle="Staff access to symbol management and data quality."
      footer="No account? Ask a Symbol Desk admin to create one for you."
    >
      <Form method="post" action="/login" className="space-y-1" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormAlert message={actionData?.formError} />
        <Field
          name="email"
          label="Email"
          type="email"
          autoComplete="username"
          inputMode="email"
          // The page has one purpose; its first field is where every visitor starts.
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus
          required
          defaultValue={actionData?.email}
          error={errors.email}
          className="pt-2"
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          error={errors.password}
        />
        <div className="pt-2">
          <SubmitButton pendingLabel="Signing in…" action="/login">
            Sign in
          </SubmitButton>
        </div>
      </Form>
    </AuthCard>
  );
}
