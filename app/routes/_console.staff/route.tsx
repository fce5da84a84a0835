import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DuplicateStaffEmailError, InvalidStaffInputError } from "#db/repositories/staff";
import {
  changeStaffRole,
  inviteStaff,
  issuePasswordReset,
  LastAdminError,
  listStaffOverview,
  setStaffDisabled,
  StaffChangeRefusedError,
} from "#db/repositories/staff-management";
import { withDb } from "~/utils/db.server";
import { readForm } from "~/utils/console-forms.server";
import { type FieldErrors, parseForm } from "~/utils/forms.server";
import { requireStaff } from "~/utils/permissions.server";
import { InviteForm } from "./invite-form";
import { StaffTable } from "./staff-table";
import { StaffActionSchema } from "./schema.server";

// /staff, for admins (the page and every action check it on the server): every staff account,
// invitations with a one-time link, role changes, disable and enable, password resets.

export const meta: MetaFunction = () => [{ title: "Staff · Symbol Desk" }];

export interface StaffActionData {
  ok: boolean;
  message?: string;
  fieldErrors?: FieldErrors;
  /** A new invitation or reset link: in this answer only, never stored or shown again. */
  link?: { url: string; email: string; purpose: "invite" | "reset"; expiresAt: string };
}

const reply = (body: StaffActionData, status = 200) => data(body, { status, headers: { "Cache-Control": "no-store" } });

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireStaff(request, "admin");
  const staff = await withDb(({ db }) => listStaffOverview(db));
  return {
    meId: me.id,
    staff: staff.map((s) => ({
      ...s,
      createdAt: s.createdAt.toISOString(),
      lastSignInAt: s.lastSignInAt?.toISOString() ?? null,
      pendingLink: s.pendingLink && { ...s.pendingLink, expiresAt: s.pendingLink.expiresAt.toISOString() },
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const me = await requireStaff(request, "admin");
  const parsed = parseForm(StaffActionSchema, await readForm(request));
  if (!parsed.ok) return reply({ ok: false, fieldErrors: parsed.fieldErrors, message: parsed.fieldErrors.intent }, 400);
  const input = parsed.data;
  const linkUrl = (token: string) => `${new URL(request.url).origin}/password/${token}`;
  try {
    return await withDb(async ({ db }) => {
      switch (input.intent) {
        case "invite": {
          const link = await inviteStaff(db, { actorId: me.id, ...input });
          return reply({
            ok: true,
            message: `Invitation for ${link.email} created.`,
            link: {
              url: linkUrl(link.token),
              email: link.email,
              purpose: "invite",
              expiresAt: link.expiresAt.toISOString(),
            },
          });
        }
        case "role": {
          const result = await changeStaffRole(db, { actorId: me.id, staffId: input.staffId, role: input.role });
          return reply({
            ok: true,
            message: result.changed ? `Role changed from ${result.before} to ${input.role}.` : `Already ${input.role}.`,
          });
        }
        case "disable":
        case "enable": {
          const disabled = input.intent === "disable";
          const result = await setStaffDisabled(db, { actorId: me.id, staffId: input.staffId, disabled });
          const done = disabled ? "Disabled: every session has ended." : "Enabled: the account can sign in again.";
          return reply({ ok: true, message: result.changed ? done : `Already ${disabled ? "disabled" : "enabled"}.` });
        }
        case "reset": {
          const link = await issuePasswordReset(db, { actorId: me.id, staffId: input.staffId });
          return reply({
            ok: true,
            message: `Password reset for ${link.email}: the old password and every session have ended.`,
            link: {
              url: linkUrl(link.token),
              email: link.email,
              purpose: "reset",
              expiresAt: link.expiresAt.toISOString(),
            },
          });
        }
      }
    });
  } catch (error) {
    if (error instanceof LastAdminError) return reply({ ok: false, message: error.message }, 409);
    if (error instanceof StaffChangeRefusedError) return reply({ ok: false, message: error.message }, error.status);
    if (error instanceof DuplicateStaffEmailError) {
      return reply({ ok: false, fieldErrors: { email: "A staff account with this email already exists." } }, 400);
    }
    if (error instanceof InvalidStaffInputError) {
      return reply({ ok: false, fieldErrors: { [error.field]: error.message } }, 400);
    }
    throw error;
  }
}

export default function StaffPage() {
  const { staff, meId } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-5">
      <header>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">Staff</h1>
        <p className="mt-0.5 text-[13px] text-slate-500">
          Everyone who can sign in to Symbol Desk. Invite people with a one-time link on which they choose their own
          password; every change here is on the audit log.
        </p>
      </header>
      <InviteForm />
      <StaffTable staff={staff} meId={meId} />
    </div>
  );
}
