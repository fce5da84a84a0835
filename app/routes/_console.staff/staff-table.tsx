import { useFetcher } from "@remix-run/react";
import { useState } from "react";
import type { StaffRole } from "#db/schema";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { When } from "~/components/status-pills";
import { LinkReveal } from "./link-reveal";
import { ROLES } from "./roles";
import type { action } from "./route";
import { cx } from "~/components/classes";

// Every staff account, one row each, with its own fetcher: a row shows its own pending state and
// answer. Disabling, resets and role changes ask first and say what will happen.

export interface StaffRowView {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  status: "active" | "invited" | "disabled";
  createdAt: string;
  lastSignInAt: string | null;
  createdByName: string | null;
  pendingLink: { purpose: "invite" | "reset"; expiresAt: string } | null;
}

const STATUS_STYLES: Record<StaffRowView["status"], string> = {
  active: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  invited: "bg-sky-50 text-sky-800 ring-sky-200",
  disabled: "bg-slate-100 text-slate-700 ring-slate-300",
};

export function StaffTable({ staff, meId }: { staff: StaffRowView[]; meId: string }) {
  if (staff.length === 0) {
    return <p className="text-[13px] text-slate-500">No staff accounts yet.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
      <table className="w-full text-left text-[13px]">
        <caption className="sr-only">Staff accounts</caption>
        <thead className="bg-slate-50">
          <tr className="border-b border-slate-200 text-[11px] tracking-wide text-slate-500 uppercase">
            <th scope="col" className="px-3 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Email
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Role
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Last sign-in
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Created by
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Actions
            </th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <StaffRow key={s.id} staff={s} isMe={s.id === meId} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Pending =
  { intent: "role"; role: StaffRole } | { intent: "disable" } | { intent: "enable" } | { intent: "reset" } | null;

function StaffRow({ staff, isMe }: { staff: StaffRowView; isMe: boolean }) {
  const fetcher = useFetcher<typeof action>();
  const [role, setRole] = useState<StaffRole>(staff.role);
  const [confirming, setConfirming] = useState<Pending>(null);
  const busy = fetcher.state !== "idle";
  const result = fetcher.data;
  const name = staff.displayName;

  const submit = (pending: NonNullable<Pending>) => {
    setConfirming(null);
    fetcher.submit({ staffId: staff.id, ...pending }, { method: "post" });
  };

  return (
    <tr className="border-b border-slate-100 align-top last:border-0">
      <td className="px-3 py-2 font-medium text-slate-900">
        {name}
        {isMe ? <span className="ml-1 text-xs font-normal text-slate-500">(you)</span> : null}
      </td>
      <td className="px-3 py-2 text-slate-700">{staff.email}</td>
      <td className="px-3 py-2">
        <div className="flex items-center gap-1.5">
          <select
            aria-label={`Role of ${name}`}
            value={role}
            onChange={(event) => setRole(event.target.value as StaffRole)}
            disabled={busy}
            className={cx(
              "rounded-md border border-slate-300 bg-white px-1.5 py-0.5 text-[13px] focus:outline-none",
              "focus-visible:ring-2 focus-visible:ring-indigo-500",
            )}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          {role !== staff.role ? (
            <Button variant="subtle" size="xs" disabled={busy} onClick={() => setConfirming({ intent: "role", role })}>
              Change role of {name}
            </Button>
          ) : null}
        </div>
      </td>
      <td className="px-3 py-2">
        <span
          className={
            `rounded px-1.5 py-0.5 text-[11px] font-semibold capitalize ring-1 ring-inset ` +
            `${STATUS_STYLES[staff.status]}`
          }
        >
          {staff.status}
        </span>
        {staff.pendingLink ? (
          <p className="mt-1 text-xs text-slate-500">
            {staff.pendingLink.purpose === "invite" ? "Invitation" : "Reset link"} open until{" "}
            <When at={staff.pendingLink.expiresAt} />
          </p>
        ) : null}
      </td>
      <td className="px-3 py-2 text-xs text-slate-600">
        <When at={staff.lastSignInAt} />
      </td>
      <td className="px-3 py-2 text-slate-700">{staff.createdByName ?? <span className="text-slate-500">—</span>}</td>
      <td className="px-3 py-2">
        <div className="flex flex-wrap gap-1.5">
          {staff.status === "disabled" ? (
            <Button variant="secondary" size="xs" disabled={busy} onClick={() => setConfirming({ intent: "enable" })}>
              Enable {name}
            </Button>
          ) : (
            <>
              {isMe ? null : (
                <Button
                  variant="dangerSubtle"
                  size="xs"
                  disabled={busy}
                  onClick={() => setConfirming({ intent: "disable" })}
                >
                  Disable {name}
                </Button>
              )}
              {isMe ? null : (
                <Button
                  variant="secondary"
                  size="xs"
                  disabled={busy}
                  onClick={() => setConfirming({ intent: "reset" })}
                >
                  {staff.status === "invited" ? `New invitation link for ${name}` : `Reset password of ${name}`}
                </Button>
              )}
            </>
          )}
        </div>
        <div aria-live="polite" className="mt-1 max-w-xs text-xs">
          {busy ? <p className="text-slate-500">Saving…</p> : null}
          {!busy && result?.message ? (
            <p role={result.ok ? "status" : "alert"} className={result.ok ? "text-emerald-700" : "text-red-700"}>
              {result.message}
            </p>
          ) : null}
        </div>
        {!busy && result?.link ? (
          <div className="mt-2 w-80">
            <LinkReveal link={result.link} />
          </div>
        ) : null}
        <RowConfirm
          staff={staff}
          pending={confirming}
          onConfirm={submit}
          onCancel={() => {
            if (confirming?.intent === "role") setRole(staff.role);
            setConfirming(null);
          }}
        />
      </td>
    </tr>
  );
}

function RowConfirm({
  staff,
  pending,
  onConfirm,
  onCancel,
}: {
  staff: StaffRowView;
  pending: Pending;
  onConfirm: (pending: NonNullable<Pending>) => void;
  onCancel: () => void;
}) {
  const name = staff.displayName;
  const copy =
    pending &&
    {
      role: {
        title: `Change ${name}'s role?`,
        body:
          `${name} goes from ${staff.role} to ${pending.intent === "role" ? pending.role : ""}, ` +
          `from their next request on.`,
        label: "Change role",
        tone: "primary" as const,
      },
      disable: {
        title: `Disable ${name}?`,
        body:
          `${name} is signed out everywhere at once and cannot sign in until an admin enables the account ` +
          `again. Open invitation or reset links stop working.`,
        label: "Disable account",
        tone: "danger" as const,
      },
      enable: {
        title: `Enable ${name}?`,
        body: `${name} can sign in again with their password.`,
        label: "Enable account",
        tone: "primary" as const,
      },
      reset: {
        title: staff.status === "invited" ? `New invitation link for ${name}?` : `Reset ${name}'s password?`,
        body:
          staff.status === "invited"
            ? "The earlier link stops working; the new one works once, for 24 hours."
            : `${name}'s current password stops working and every session of theirs ends now. ` +
              `You get a one-time link (valid 24 hours) with which they choose a new password.`,
        label: staff.status === "invited" ? "Create new link" : "Reset password",
        tone: "danger" as const,
      },
    }[pending.intent];
  return (
    <ConfirmDialog
      open={!!pending}
      title={copy?.title ?? ""}
      confirmLabel={copy?.label ?? "Confirm"}
      tone={copy?.tone}
      onConfirm={() => pending && onConfirm(pending)}
      onCancel={onCancel}
    >
      <p>{copy?.body}</p>
    </ConfirmDialog>
  );
}
