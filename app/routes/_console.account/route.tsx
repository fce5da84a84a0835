import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { InvalidStaffInputError, MIN_PASSWORD_LENGTH } from "#db/repositories/staff";
import { changeOwnPassword, endAllOwnSessions, endOwnSession, listOwnSessions } from "#db/repositories/staff-account";
import { PASSWORD_HINT } from "#db/rules/password";
import { withDb } from "~/utils/db.server";
import { readForm } from "~/utils/console-forms.server";
import { type FieldErrors, newPasswordFields, parseForm, refineNewPassword } from "~/utils/forms.server";
import { requireStaff } from "~/utils/permissions.server";
import { destroySessionCookie, readSessionId } from "~/utils/session.server";
import { plural } from "~/utils/plural";
import { describeUserAgent } from "~/utils/user-agent";
import { PasswordForm } from "./password-form";
import { SessionList } from "./session-list";

// /account, for every role: change one's own password (the current one is required; every other
// session ends) and see one's sessions, ending any one of them or all ("sign out everywhere").

export const meta: MetaFunction = () => [{ title: "Your account · Symbol Desk" }];

export interface AccountActionData {
  ok: boolean;
  message?: string;
  fieldErrors?: FieldErrors;
}

const ActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("password"),
      currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password."),
      ...newPasswordFields,
    }),
    z.object({ intent: z.literal("end-session"), session: z.string().regex(/^[0-9a-f]{64}$/, "Unknown session.") }),
    z.object({ intent: z.literal("end-all") }),
  ],
  { error: "Unknown action: reload the page and try again." },
);

/** The session asking: requireStaff has just found it, so the cookie holds one. */
async function currentSessionId(request: Request): Promise<string> {
  const sid = await readSessionId(request);
  if (!sid) throw redirect("/login");
  return sid;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireStaff(request, "viewer");
  const sid = await currentSessionId(request);
  const sessions = await withDb(({ db }) => listOwnSessions(db, me.id, sid));
  return {
    me: { displayName: me.display_name, email: me.email, role: me.role },
    minPasswordLength: MIN_PASSWORD_LENGTH,
    passwordHint: PASSWORD_HINT,
    sessions: sessions.map((s) => ({
      key: s.key,
      current: s.current,
      browser: describeUserAgent(s.userAgent),
      startedAt: s.startedAt.toISOString(),
      lastUsedAt: s.lastUsedAt?.toISOString() ?? null,
    })),
  };
}

const signedOut = async (request: Request) =>
  redirect("/login", { headers: { "Set-Cookie": await destroySessionCookie(request) } });

export async function action({ request }: ActionFunctionArgs) {
  const me = await requireStaff(request, "viewer");
  const sid = await currentSessionId(request);
  const parsed = parseForm(
    ActionSchema.superRefine((value, ctx) => {
      if (value.intent === "password") refineNewPassword(value, ctx, [me.email, me.display_name]);
    }),
    await readForm(request),
  );
  if (!parsed.ok) {
    return data<AccountActionData>(
      { ok: false, fieldErrors: parsed.fieldErrors, message: parsed.fieldErrors.intent ?? parsed.fieldErrors.session },
      { status: 400 },
    );
  }
  const input = parsed.data;
  if (input.intent === "end-all") {
    await withDb(({ db }) => endAllOwnSessions(db, me.id));
    throw await signedOut(request);
  }
  if (input.intent === "end-session") {
    const ended = await withDb(({ db }) => endOwnSession(db, me.id, input.session));
    if (!ended)
      return data<AccountActionData>({ ok: false, message: "That session has already ended." }, { status: 404 });
    const current = (await withDb(({ db }) => listOwnSessions(db, me.id, sid))).some((s) => s.current);
    if (!current) throw await signedOut(request);
    return data<AccountActionData>({ ok: true, message: "Session ended: that browser is signed out." });
  }
  try {
    const result = await withDb(({ db }) =>
      changeOwnPassword(db, {
        staffId: me.id,
        currentPassword: input.currentPassword,
        newPassword: input.password,
        keepSessionId: sid,
      }),
    );
    const others = result.endedSessions;
    return data<AccountActionData>({
      ok: true,
      message: `Password changed.${others ? ` ${plural(others, "other session")} ended.` : ""}`,
    });
  } catch (error) {
    if (error instanceof InvalidStaffInputError) {
      return data<AccountActionData>({ ok: false, fieldErrors: { [error.field]: error.message } }, { status: 400 });
    }
    throw error;
  }
}

export default function AccountPage() {
  const { me, sessions, minPasswordLength, passwordHint } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-3xl space-y-6">
      <header>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">Your account</h1>
        <p className="mt-0.5 text-[13px] text-slate-500">
          {me.displayName} · {me.email} · {me.role}
        </p>
      </header>
      <PasswordForm email={me.email} minPasswordLength={minPasswordLength} passwordHint={passwordHint} />
      <SessionList sessions={sessions} />
    </div>
  );
}
