import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { countStaff, createFirstAdmin, createStaffSession, MIN_PASSWORD_LENGTH } from "#db/repositories/staff";
import { AuthCard } from "~/components/auth-card";
import { Field, FormAlert, SubmitButton } from "~/components/form";
import { withDb } from "~/utils/db.server";
import { type FieldErrors, parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/console-forms.server";
import { SetupSchema } from "./schema.server";
import { SESSION_TTL_MS, commitNewSession } from "~/utils/session.server";

// First run only: while no staff account exists, the first visitor creates the first admin and
// is signed in. Once anyone exists the page sends visitors to sign-in and the action refuses.

export const meta: MetaFunction = () => [{ title: "Set up · Symbol Desk" }];

const SETUP_DONE = "Setup is already complete: an admin exists. Sign in, or ask an admin for an account.";

interface ActionData {
  fieldErrors?: FieldErrors;
  formError?: string;
}

const staffExists = () => withDb(async ({ db }) => (await countStaff(db)) > 0);

export async function loader(_: LoaderFunctionArgs) {
  if (await staffExists()) throw redirect("/login");
  return { minPasswordLength: MIN_PASSWORD_LENGTH };
}

export async function action({ request }: ActionFunctionArgs) {
  if (await staffExists()) throw data({ message: SETUP_DONE }, { status: 403 });
  const parsed = parseForm(SetupSchema, await readForm(request));
  if (!parsed.ok) return data<ActionData>({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  const { email, displayName, password } = parsed.data;

  const created = await withDb(async ({ db }) => {
    // Checked again under a table lock: two first visitors cannot both become admin.
    const admin = await createFirstAdmin(db, { email, displayName, password });
    return admin && { admin, session: await createStaffSession(db, admin.id, SESSION_TTL_MS) };
  });
  if (!created) throw data({ message: SETUP_DONE }, { status: 403 });
  throw redirect("/", {
    headers: { "Set-Cookie": await commitNewSession(request, created.session.id, created.session.expiresAt) },
  });
}

export default function SetupPage() {
  const { minPasswordLength } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors ?? {};
  return (
    <AuthCard
      title="Create the first admin"
      subtitle="Symbol Desk has no staff accounts yet. The account you create here gets the admin role and can add everyone else."
      footer="This page is available only until the first account exists."
    >
      <Form method="post" action="/setup" className="space-y-1" noValidate>
        <FormAlert message={actionData?.formError} />
        {/* The page has one purpose; its first field is where every visitor starts. */}
        {/* eslint-disable-next-line jsx-a11y/no-autofocus */}
        <Field name="displayName" label="Your name" autoComplete="name" autoFocus required error={errors.displayName} />
        <Field
          name="email"
          label="Email"
          type="email"
          autoComplete="username"
          inputMode="email"
          required
          error={errors.email}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={minPasswordLength}
          hint={`At least ${minPasswordLength} characters.`}
          error={errors.password}
        />
        <Field
          name="confirmPassword"
          label="Repeat password"
          type="password"
          autoComplete="new-password"
          required
          error={errors.confirmPassword}
        />
        <div className="pt-2">
          <SubmitButton pendingLabel="Creating account…" action="/setup">
            Create admin and sign in
          </SubmitButton>
        </div>
      </Form>
    </AuthCard>
  );
}
