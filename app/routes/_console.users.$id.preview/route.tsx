import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listDefaultSymbols } from "#db/queries/default-symbols";
import { backedUpDefaultSymbols, readThroughRollback } from "#db/queries/rolled-back-20250108";
import { listUserSymbols, listUserSymbolsWithout20250108 } from "#db/queries/user-symbols";
import { listPreferencesForEditing, preferencesStamp } from "#db/repositories/preferences-admin";
import { findUser } from "#db/repositories/users";
import { roleAtLeast } from "#db/repositories/staff";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";
import { required, uuidParam } from "~/utils/preconditions.server";
import { NO_USER, preferencesAction } from "./actions.server";
import { ApiTokenPanel } from "~/components/api-token-panel";
import { PreferenceEditor } from "./preference-editor";
import { PageHeader } from "~/components/page-header";
import { cx } from "~/components/classes";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

// What one user's dashboard lists (the seed's user query) beside what anonymous users see (the
// seed's default query), both their one definitions in db/queries; and the user's preferences
// for support staff to fix.

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: `${d?.user.email ?? "User"} · Symbol Desk` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "viewer");
  const id = uuidParam(params.id, NO_USER);
  return withDb(async ({ db }) => {
    const user = required(await findUser(db, id), 404, NO_USER);
    // While 20250108 is rolled back both lists are what the API serves then: the user's list on the
    // columns left in place, the defaults as the rollback saved them.
    const [list, defaults, preferences] = await Promise.all([
      readThroughRollback(
        db,
        (db) => listUserSymbols(db, id),
        (db) => listUserSymbolsWithout20250108(db, id),
      ),
      readThroughRollback(db, listDefaultSymbols, backedUpDefaultSymbols),
      listPreferencesForEditing(db, id),
    ]);
    return {
      user,
      dashboard: list.value,
      defaults: defaults.value,
      rolledBackSince: (list.rolledBack ?? defaults.rolledBack)?.since?.toISOString() ?? null,
      rolledBack: list.rolledBack !== null || defaults.rolledBack !== null,
      preferences,
      stamp: preferencesStamp(preferences),
      canEdit: roleAtLeast(staff.role, "operator"),
    };
  });
}

export const action = ({ request, params }: ActionFunctionArgs) => preferencesAction(request, params.id ?? "");

function SymbolList({
  title,
  rows,
  empty,
  pinned,
}: {
  title: string;
  rows: Array<{ id: string; ticker: string; display: string; is_pinned?: boolean }>;
  empty: string;
  pinned?: boolean;
}) {
  const id = title.toLowerCase().replace(/\W+/g, "-");
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
      <h2 id={id} className="text-sm font-semibold text-slate-900">
        {title} <span className="font-normal text-slate-500">· {rows.length}</span>
      </h2>
      {rows.length === 0 ? (
        <p className="mt-2 text-[13px] text-slate-500">{empty}</p>
      ) : (
        <ol className="mt-2 space-y-1">
          {rows.map((r, i) => (
            <li key={r.id} className="flex items-center gap-2 text-[13px]">
              <span className="w-5 text-right text-xs text-slate-500 tabular-nums">{i + 1}</span>
              <span className="w-24 font-mono font-semibold">{r.ticker}</span>
              <span className="flex-1 truncate text-slate-600">{r.display}</span>
              {pinned && r.is_pinned ? (
                <span
                  className={cx(
                    "rounded bg-indigo-50 px-1 text-[10px] font-semibold text-indigo-800",
                    "uppercase ring-1 ring-indigo-200 ring-inset",
                  )}
                >
                  Pinned
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export default function UserPreviewPage() {
  const { user, dashboard, defaults, preferences, stamp, canEdit, rolledBack, rolledBackSince } =
    useLoaderData<typeof loader>();
  return (
    <div className="space-y-5">
      <nav aria-label="Breadcrumb" className="text-xs text-slate-500">
        <Link to="/users" className="hover:text-slate-800">
          Users
        </Link>{" "}
        <span aria-hidden="true">/</span> <span aria-current="page">{user.email}</span>
      </nav>
      <PageHeader
        title={<>Dashboard preview: {user.display_name}</>}
        description={<>{user.email} · what this user sees when signed in, beside what anonymous visitors see.</>}
      />
      {rolledBack && (
        <p
          role="status"
          className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900"
        >
          Migration 20250108 is rolled back
          {rolledBackSince && (
            <>
              {" "}
              (since <time dateTime={rolledBackSince}>{rolledBackSince.slice(0, 19).replace("T", " ")} UTC</time>)
            </>
          )}
          : the defaults below are the ones the rollback saved, in their order, as the API serves them now. This
          user&apos;s list and preferences still work; the default flag returns when 20250108 is re-applied.
        </p>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <SymbolList
          title="This user's dashboard"
          rows={dashboard}
          pinned
          empty="Nothing visible: this user sees an empty dashboard."
        />
        <SymbolList title="Anonymous visitors" rows={defaults} empty="No defaults are set." />
      </div>
      <section aria-labelledby="prefs-title" className="space-y-2">
        <h2 id="prefs-title" className="text-sm font-semibold text-slate-900">
          Preferences {canEdit ? "(support edit)" : ""}
        </h2>
        <p className="text-xs text-slate-500">
          Every preference, hidden ones too.{" "}
          {canEdit
            ? "Drag to reorder (or focus a handle and use Space and the arrows), tick Pinned or Visible, then save. " +
              "Each change is audited."
            : "Read-only for your role."}
        </p>
        <PreferenceEditor preferences={preferences} stamp={stamp} canEdit={canEdit} />
      </section>
      <ApiTokenPanel userId={user.id} canManage={canEdit} />
    </div>
  );
}
