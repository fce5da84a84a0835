import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { InvalidStaffInputError, MIN_PASSWORD_LENGTH } from "#db/repositories/staff";
import { PasswordLinkError, redeemPasswordLink, viewPasswordLink } from "#db/repositories/staff-management";
import { PASSWORD_HINT } from "#db/rules/password";
import { recordSecurityEvent } from "#db/security/events";
import { passwordLinkBuckets, recordSignInFailure, signInWait } from "#db/security/throttle";
import { AuthCard } from "~/components/auth-card";
import { NewPasswordFields, SubmitButton } from "~/components/form";
import { readForm } from "~/utils/console-forms.server";
import { withDb } from "~/utils/db.server";
import { type FieldErrors, newPasswordFields, parseForm, refineNewPassword } from "~/utils/forms.server";
import { clientAddressOf, waitText } from "~/utils/sign-in-attempts.server";

// /password/:token: the one-time link of an invitation or a password reset, where the person
// chooses their own password. Public, but nothing shows without a working link: an unknown or
// altered link is 404, a used or expired one 410. Using it spends it. Unknown links are counted
// per client address, like wrong setup codes: past a few, that address waits (429) before its next
// try is even looked at, whether it opens a link or posts to one.

export const meta: MetaFunction = () => [
  { title: "Choose your password · Symbol Desk" },
  // The link is a secret: no page it leads to learns it from a Referer.
  { name: "referrer", content: "no-referrer" },
];

const noStore = { "Cache-Control": "no-store" };

function linkError(error: unknown): never {
  if (error instanceof PasswordLinkError) throw data({ message: error.message }, { status: error.status });
  throw error;
}

/** The link behind `token`, unless its client is throttled; an unknown token counts against it. */
async function openLink(token: string, context: LoaderFunctionArgs["context"]) {
  const clientAddress = clientAddressOf(context);
  const buckets = passwordLinkBuckets(clientAddress);
  // Throttled tries are not checked at all, so waiting is the only way on.
  const wait = await withDb(({ db }) => signInWait(db, buckets));
  if (wait > 0) {
    await withDb(({ db }) => recordSecurityEvent(db, { kind: "sign_in_throttled", clientAddress }));
    throw data(
      { message: `Too many unknown links from this address. Try again in ${waitText(wait)}.` },
      { status: 429, headers: { "Retry-After": String(wait), ...noStore } },
    );
  }
  try {
    return await withDb(({ db }) => viewPasswordLink(db, token));
  } catch (error) {
    if (error instanceof PasswordLinkError && error.status === 404) {
      await withDb(async ({ db }) => {
        await recordSignInFailure(db, buckets);
        await recordSecurityEvent(db, { kind: "sign_in_failed", clientAddress });
      });
    }
    return linkError(error);
  }
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const link = await openLink(params.token ?? "", context);
  return data(
    {
      purpose: link.purpose,
      email: link.email,
      displayName: link.displayName,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      passwordHint: PASSWORD_HINT,
    },
    { headers: noStore },
  );
}

interface ActionData {
  fieldErrors?: FieldErrors;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const link = await openLink(token, context);
  const parsed = parseForm(
    z.object(newPasswordFields).superRefine((v, ctx) => refineNewPassword(v, ctx, [link.email, link.displayName])),
    await readForm(request),
  );
  if (!parsed.ok) return data<ActionData>({ fieldErrors: parsed.fieldErrors }, { status: 400, headers: noStore });
  try {
    await withDb(({ db }) => redeemPasswordLink(db, token, parsed.data.password));
    // Away from the link, which answers 410 from now on.
    throw redirect("/password/done");
  } catch (error) {
    if (error instanceof InvalidStaffInputError) {
      return data<ActionData>({ fieldErrors: { password: error.message } }, { status: 400, headers: noStore });
    }
    return linkError(error);
  }
}

export default function ChoosePasswordPage() {
  const { purpose, email, displayName, minPasswordLength, passwordHint } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors ?? {};
  return (
    <AuthCard
      title={purpose === "invite" ? `Welcome, ${displayName}` : "Choose a new password"}
      subtitle={
        purpose === "invite"
          ? `You have been invited to Symbol Desk as ${email}. Choose your password to finish.`
          : `An admin reset the password of ${email}. Choose a new one; then sign in with it.`
      }
      footer="This link works once, for 24 hours from when it was made."
    >
      <Form method="post" className="space-y-1" noValidate>
        {/* Lets password managers file the new password under the right account. */}
        <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
        <NewPasswordFields
          // The page has one purpose; its first field is where every visitor starts.
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus
          minLength={minPasswordLength}
          hint={passwordHint}
          errors={errors}
        />
        <div className="pt-2">
          <SubmitButton pendingLabel="Saving…">Set password</SubmitButton>
        </div>
      </Form>
    </AuthCard>
  );
}
