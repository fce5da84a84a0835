import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { listAuditEntries } from "#db/repositories/audit";
import { providerCodes } from "#db/repositories/providers";
import { FIELD_LABELS } from "#db/repositories/symbols-fields";
import { listStaff, roleAtLeast } from "#db/repositories/staff";
import { listStaffChanges } from "#db/repositories/staff-audit";
import { listSecurityEvents } from "#db/security/events";
import { SecurityEvents } from "./security-events";
import { StaffChanges } from "./staff-changes";
import { When } from "~/components/status-pills";
import { withDb } from "~/utils/db.server";
import type { FieldErrors } from "~/utils/forms.server";
import { requireStaff } from "~/utils/permissions.server";
import { badQuery, isCalendarDay } from "~/utils/query-input.server";
import { decodeAuditCursor } from "./cursor.server";
import { formatAuditValue } from "../_console.symbols.$id/history";
import { Button } from "~/components/button";
import { cx, focusRing } from "~/components/classes";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

// The audit log: every console write, newest first, filtered by staff member, symbol (ticker),
// field and date range, keyset-paginated; all of it in the URL.

export const meta: MetaFunction = () => [{ title: "Audit log · Symbol Desk" }];

const day = z.string().optional();
const Params = z.object({
  staff: z.guid().optional().catch(undefined),
  ticker: z.string().trim().max(32).optional().catch(undefined),
  field: z.string().max(64).optional().catch(undefined),
  from: day,
  to: day,
  after: z.string().max(200).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireStaff(request, "viewer");
  const parsed = Params.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    throw badQuery({ after: "This is not a page of the audit log: start again from the first page." });
  const params = parsed.data;
  const problems: FieldErrors = {};
  for (const name of ["from", "to"] as const) {
    const value = params[name];
    if (value && !isCalendarDay(value)) problems[name] = "Enter a real date as YYYY-MM-DD.";
  }
  const after = params.after ? decodeAuditCursor(params.after) : null;
  if (after === undefined) problems.after = "This is not a page of the audit log: start again from the first page.";
  if (Object.keys(problems).length > 0) throw badQuery(problems);
  const toExclusive = params.to ? new Date(Date.parse(`${params.to}T00:00:00Z`) + 86_400_000) : undefined;
  return withDb(async ({ db }) => {
    const admin = roleAtLeast(viewer.role, "admin");
    const [page, staff, providerNames, securityEvents, staffChanges] = await Promise.all([
      listAuditEntries(
        db,
        {
          staffId: params.staff,
          ticker: params.ticker || undefined,
          field: params.field || undefined,
          from: params.from ? new Date(`${params.from}T00:00:00Z`) : undefined,
          to: toExclusive,
        },
        { after, limit: 50 },
      ),
      listStaff(db),
      providerCodes(db),
      // Sign-in activity is for admins only.
      admin ? listSecurityEvents(db, 50) : Promise.resolve(null),
      // So are changes to staff accounts.
      admin ? listStaffChanges(db, 50) : Promise.resolve(null),
    ]);
    return {
      params,
      entries: page.entries,
      next: page.next ? Buffer.from(JSON.stringify(page.next)).toString("base64url") : null,
      staff: staff.map((s) => ({ id: s.id, name: s.display_name, email: s.email })),
      providerNames,
      securityEvents: securityEvents?.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) ?? null,
      staffChanges: staffChanges?.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })) ?? null,
    };
  });
}

const input = cx("mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-[13px]", focusRing);

export default function AuditPage() {
  const { params, entries, next, staff, providerNames, securityEvents, staffChanges } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const nextHref = () => {
    const p = new URLSearchParams(searchParams);
    p.set("after", next!);
    return `/audit?${p}`;
  };
  return (
    <div className="space-y-4">
      <PageHeader
        title="Audit log"
        description={<>Every change made from the console: who, when, which symbol and field, before and after.</>}
      />
      <Form
        method="get"
        role="search"
        aria-label="Filter the audit log"
        className={cx(
          "grid grid-cols-2 items-end gap-3 rounded-lg border border-slate-200",
          "bg-white p-3 shadow-xs md:grid-cols-6",
        )}
      >
        <div>
          <label htmlFor="audit-staff" className="block text-xs font-medium text-slate-600">
            Staff member
          </label>
          <select id="audit-staff" name="staff" defaultValue={params.staff ?? ""} className={input}>
            <option value="">Anyone</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-ticker" className="block text-xs font-medium text-slate-600">
            Symbol (ticker)
          </label>
          <input
            id="audit-ticker"
            name="ticker"
            defaultValue={params.ticker ?? ""}
            placeholder="BTCUSDT"
            className={input}
          />
        </div>
        <div>
          <label htmlFor="audit-field" className="block text-xs font-medium text-slate-600">
            Field
          </label>
          <select id="audit-field" name="field" defaultValue={params.field ?? ""} className={input}>
            <option value="">Any field</option>
            {Object.entries(FIELD_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-from" className="block text-xs font-medium text-slate-600">
            From (UTC)
          </label>
          <input id="audit-from" name="from" type="date" defaultValue={params.from ?? ""} className={input} />
        </div>
        <div>
          <label htmlFor="audit-to" className="block text-xs font-medium text-slate-600">
            To (UTC, inclusive)
          </label>
          <input id="audit-to" name="to" type="date" defaultValue={params.to ?? ""} className={input} />
        </div>
        <div className="flex gap-2">
          <Button type="submit" size="sm">
            Filter
          </Button>
          <Link
            to="/audit"
            className={cx("rounded-md px-2 py-1 text-[13px] text-slate-600 hover:text-slate-900", focusRing)}
          >
            Clear
          </Link>
        </div>
      </Form>
      {entries.length === 0 ? (
        <p
          className={cx(
            "rounded-lg border border-dashed border-slate-300 bg-white p-10",
            "text-center text-[13px] text-slate-500",
          )}
        >
          No audit entries match these filters.
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
          <table className="w-full text-left text-[13px]">
            <caption className="sr-only">Audit entries, newest first</caption>
            <thead className="bg-slate-50">
              <tr className="border-b border-slate-200 text-[11px] tracking-wide text-slate-500 uppercase">
                <th scope="col" className="px-3 py-2 font-medium">
                  When (UTC)
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Who
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Symbol
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Field
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Before → after
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  How
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const userId = e.action.startsWith("preference:") ? e.action.slice("preference:".length) : null;
                return (
                  <tr key={e.id} className="border-b border-slate-100 last:border-0">
                    <td className="px-3 py-1.5 text-xs text-slate-600">
                      <When at={e.created_at} />
                    </td>
                    <td className="px-3 py-1.5">
                      {e.staff_name ?? <span className="text-slate-500">removed staff</span>}
                    </td>
                    <td className="px-3 py-1.5 font-mono">
                      {e.symbol_id && e.ticker ? (
                        <Link
                          to={`/symbols/${e.symbol_id}`}
                          className={cx("rounded-sm text-indigo-700 hover:underline", focusRing)}
                        >
                          {e.ticker}
                        </Link>
                      ) : (
                        <span className="text-slate-500">deleted</span>
                      )}
                    </td>
                    <td className="px-3 py-1.5">{FIELD_LABELS[e.field] ?? e.field}</td>
                    <td className="px-3 py-1.5 font-mono text-xs">
                      {formatAuditValue(e.field, e.before_value, providerNames)} →{" "}
                      {formatAuditValue(e.field, e.after_value, providerNames)}
                    </td>
                    <td className="px-3 py-1.5 text-xs text-slate-600">
                      {userId ? (
                        <Link to={`/users/${userId}/preview`} className="text-indigo-700 underline">
                          user preference
                        </Link>
                      ) : (
                        e.action.replace("_", " ")
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" className="flex justify-between text-[13px]">
        <Link
          to={`/audit?${new URLSearchParams([...searchParams].filter(([k]) => k !== "after"))}`}
          className="text-slate-600 hover:text-slate-900"
        >
          Newest
        </Link>
        {next ? (
          <Link
            to={nextHref()}
            className={cx(
              "rounded-md border border-slate-300 bg-white px-3 py-1 font-medium hover:bg-slate-50",
              focusRing,
            )}
          >
            Older →
          </Link>
        ) : (
          <span className="text-slate-500">End of the log</span>
        )}
      </nav>
      {staffChanges ? <StaffChanges changes={staffChanges} /> : null}
      {securityEvents ? <SecurityEvents events={securityEvents} /> : null}
    </div>
  );
}
