import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { countStaff, createFirstAdmin, createStaffSession, MIN_PASSWORD_LENGTH } from "#db/repositories/staff";
import { PASSWORD_HINT } from "#db/rules/password";
import { recordSecurityEvent } from "#db/security/events";
import { clearSetupCodes, setupCodeIsValid } from "#db/security/setup-codes";
import { recordSignInFailure, setupCodeBuckets, signInWait } from "#db/security/throttle";
import { AuthCard } from "~/components/auth-card";
import { Field, FormAlert, NewPasswordFields, SubmitButton } from "~/components/form";
import { withDb } from "~/utils/db.server";
import { type FieldErrors, parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/console-forms.server";
import { SetupSchema } from "./schema.server";
import { SESSION_TTL_MS, commitNewSession } from "~/utils/session.server";
import { clientAddressOf, waitText } from "~/utils/sign-in-attempts.server";

// First run only: while no staff account exists, whoever has the setup code the server printed
// in its terminal at start (app/utils/setup-code.server.ts) creates the first admin and is signed
// in. Wrong codes are throttled per client address, like sign-in. Once anyone exists the page
// sends visitors to sign-in and the action refuses.

export const meta: MetaFunction = () => [{ title: "Set up · Symbol Desk" }];

const SETUP_DONE = "Setup is already complete: an admin exists. Sign in, or ask an admin for an account.";

interface ActionData {
  fieldErrors?: FieldErrors;
  formError?: string;
}

const staffExists = () => withDb(async ({ db }) => (await countStaff(db)) > 0);

export async function loader(_: LoaderFunctionArgs) {
  if (await staffExists()) throw redirect("/login");
  return { minPasswordLength: MIN_PASSWORD_LENGTH, passwordHint: PASSWORD_HINT };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (await staffExists()) throw data({ message: SETUP_DONE }, { status: 403 });
  const parsed = parseForm(SetupSchema, await readForm(request));
  if (!parsed.ok) return data<ActionData>({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  const { setupCode, email, displayName, password } = parsed.data;
  const clientAddress = clientAddressOf(context);
  const buckets = setupCodeBuckets(clientAddress);

  // Throttled tries are not checked at all, so waiting is the only way on.
  const wait = await withDb(({ db }) => signInWait(db, buckets));
  if (wait > 0) {
    await withDb(({ db }) => recordSecurityEvent(db, { kind: "sign_in_throttled", email, clientAddress }));
    return data<ActionData>(
      { formError: `Too many wrong setup codes. Try again in ${waitText(wait)}.` },
      { status: 429, headers: { "Retry-After": String(wait) } },
    );
  }
  if (!(await withDb(({ db }) => setupCodeIsValid(db, setupCode)))) {
    await withDb(async ({ db }) => {
      await recordSignInFailure(db, buckets);
      await recordSecurityEvent(db, { kind: "sign_in_failed", email, clientAddress });
    });
    return data<ActionData>(
      { fieldErrors: { setupCode: "That is not the setup code: copy it from the terminal where the server started." } },
      { status: 403 },
    );
  }

  const created = await withDb(async ({ db }) => {
    // Checked again under a table lock: two first visitors cannot both become admin.
    const admin = await createFirstAdmin(db, { email, displayName, password });
    if (!admin) return null;
    await clearSetupCodes(db);
    await recordSecurityEvent(db, { kind: "setup", staffId: admin.id, email, clientAddress });
    return {
      admin,
      session: await createStaffSession(db, admin.id, SESSION_TTL_MS, request.headers.get("User-Agent")),
    };
  });
  if (!created) throw data({ message: SETUP_DONE }, { status: 403 });
  throw redirect("/", {
    headers: { "Set-Cookie": await commitNewSession(request, created.session.id, created.session.expiresAt) },
  });
}

export default function SetupPage() {
  const { minPasswordLength, passwordHint } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors ?? {};
  return (
    <AuthCard
      title="Create the first admin"
      subtitle={
        "Symbol Desk has no staff accounts yet. The account you create here gets the admin role and can add " +
        "everyone else."
      }
      footer="This page is available only until the first account exists."
    >
      <Form method="post" action="/setup" className="space-y-1" noValidate>
        <FormAlert message={actionData?.formError} />
        <Field
          name="setupCode"
          label="Setup code"
          autoComplete="off"
          spellCheck={false}
          // The page has one purpose; its first field is where every visitor starts.
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus
          required
          hint={
            "Four groups of five letters and digits, printed in the terminal where the server was started (npm " +
            "start)."
          }
          error={errors.setupCode}
        />
        <Field name="displayName" label="Your name" autoComplete="name" required error={errors.displayName} />
        <Field
          name="email"
          label="Email"
          type="email"
          autoComplete="username"
          inputMode="email"
          required
          error={errors.email}
        />
        <NewPasswordFields label="Password" minLength={minPasswordLength} hint={passwordHint} errors={errors} />
        <div className="pt-2">
          <SubmitButton pendingLabel="Creating account…" action="/setup">
            Create admin and sign in
          </SubmitButton>
        </div>
      </Form>
    </AuthCard>
  );
}
