import { When } from "~/components/status-pills";

// Changes to staff accounts, for admins: who changed whose account, when, what, before and after.

export interface StaffChangeView {
  id: string;
  createdAt: string;
  actorName: string | null;
  staffName: string | null;
  staffEmail: string;
  action: string;
  before: string | null;
  after: string | null;
}

const ACTION_LABELS: Record<string, string> = {
  invited: "Invited",
  role_changed: "Role changed",
  disabled: "Disabled",
  enabled: "Enabled",
  password_reset_issued: "Password reset (link issued)",
  invitation_accepted: "Invitation accepted",
  password_reset_used: "Password chosen after reset",
  password_changed: "Own password changed",
};

export function StaffChanges({ changes }: { changes: StaffChangeView[] }) {
  return (
    <section aria-labelledby="staff-changes" className="space-y-2">
      <h2 id="staff-changes" className="text-base font-semibold text-slate-900">
        Staff account changes
      </h2>
      {changes.length === 0 ? (
        <p className="text-[13px] text-slate-500">No staff account has been changed yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-[13px]">
            <thead className="bg-slate-50 text-xs text-slate-600">
              <tr>
                <th className="px-3 py-2 font-medium">When</th>
                <th className="px-3 py-2 font-medium">Who</th>
                <th className="px-3 py-2 font-medium">Account</th>
                <th className="px-3 py-2 font-medium">Change</th>
                <th className="px-3 py-2 font-medium">Before → after</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {changes.map((change) => (
                <tr key={change.id}>
                  <td className="px-3 py-1.5 whitespace-nowrap">
                    <When at={change.createdAt} />
                  </td>
                  <td className="px-3 py-1.5">{change.actorName ?? "removed staff"}</td>
                  <td className="px-3 py-1.5">
                    {change.staffName ?? "removed staff"} <span className="text-slate-500">{change.staffEmail}</span>
                  </td>
                  <td className="px-3 py-1.5">{ACTION_LABELS[change.action] ?? change.action}</td>
                  <td className="px-3 py-1.5 font-mono text-xs">
                    {change.before || change.after ? `${change.before ?? "—"} → ${change.after ?? "—"}` : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
