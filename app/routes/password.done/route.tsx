import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { AuthCard } from "~/components/auth-card";
import { FormAlert } from "~/components/form";
import { cx } from "~/components/classes";

// Where a used invitation or reset link leads: the link itself answers 410 from now on.

export const meta: MetaFunction = () => [{ title: "Password set · Symbol Desk" }];

export default function PasswordSetPage() {
  return (
    <AuthCard title="Your password is set" subtitle="Sign in with your email and your new password.">
      <FormAlert tone="info" message="The link you used has done its job and no longer works." />
      <Link
        to="/login"
        className={cx(
          "mt-4 inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-3 py-2 text-sm",
          "font-semibold text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 " +
            "focus-visible:ring-indigo-500 focus-visible:ring-offset-2",
        )}
      >
        Go to sign-in
      </Link>
    </AuthCard>
  );
}
