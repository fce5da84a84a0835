import { When } from "~/components/status-pills";

// Sign-ins, failed sign-ins and throttled attempts, for admins: who (or which email was tried),
// from which client address, when. Never a password, session id or token.

export interface SecurityEventView {
  id: string;
  kind: "sign_in" | "sign_in_failed" | "sign_in_throttled" | "setup";
  staffName: string | null;
  email: string | null;
  clientAddress: string | null;
  createdAt: string;
}

const KIND_LABELS: Record<SecurityEventView["kind"], string> = {
  sign_in: "Signed in",
  sign_in_failed: "Failed sign-in",
  sign_in_throttled: "Sign-in throttled",
  setup: "First admin created",
};

export function SecurityEvents({ events }: { events: SecurityEventView[] }) {
  return (
    <section aria-labelledby="security-events" className="space-y-2">
      <h2 id="security-events" className="text-base font-semibold text-slate-900">
        Security events
      </h2>
      {events.length === 0 ? (
        <p className="text-[13px] text-slate-500">No sign-in activity yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-[13px]">
            <thead className="bg-slate-50 text-xs text-slate-600">
              <tr>
                <th className="px-3 py-2 font-medium">When</th>
                <th className="px-3 py-2 font-medium">Event</th>
                <th className="px-3 py-2 font-medium">Account</th>
                <th className="px-3 py-2 font-medium">Client address</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((event) => (
                <tr key={event.id}>
                  <td className="px-3 py-1.5 whitespace-nowrap">
                    <When at={event.createdAt} />
                  </td>
                  <td className="px-3 py-1.5">{KIND_LABELS[event.kind]}</td>
                  <td className="px-3 py-1.5">{event.staffName ?? event.email ?? "—"}</td>
                  <td className="px-3 py-1.5 font-mono">{event.clientAddress ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
