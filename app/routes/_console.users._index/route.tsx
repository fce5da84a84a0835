import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { searchUsers } from "#db/repositories/users";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";
import { cx, focusRing } from "~/components/classes";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

// Finding a platform user for a support case, to open their dashboard preview.

export const meta: MetaFunction = () => [{ title: "Users · Symbol Desk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 64);
  return withDb(async ({ db }) => ({ q, users: await searchUsers(db, q) }));
}

export default function UsersPage() {
  const { q, users } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <PageHeader title="Users" description={<>Find a myTrader user to see and fix what their dashboard lists.</>} />
      <Form method="get" role="search" className="flex items-end gap-2">
        <div>
          <label htmlFor="user-q" className="block text-xs font-medium text-slate-600">
            Email or name
          </label>
          <input
            id="user-q"
            name="q"
            type="search"
            defaultValue={q}
            className={cx("mt-1 w-72 rounded-md border border-slate-300 px-2 py-1 text-[13px]", focusRing)}
          />
        </div>
        <button
          type="submit"
          className={cx(
            "rounded-md bg-slate-900 px-3 py-1 text-[13px] font-semibold text-white focus-visible:ring-offset-2",
            focusRing,
          )}
        >
          Search
        </button>
      </Form>
      {users.length === 0 ? (
        <p
          className={cx(
            "rounded-lg border border-dashed border-slate-300 bg-white p-8",
            "text-center text-[13px] text-slate-500",
          )}
        >
          {q ? `No user matches “${q}”.` : "There are no users yet."}
        </p>
      ) : (
        <ul
          aria-label="Users"
          className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-xs"
        >
          {users.map((u) => (
            <li key={u.id} className="flex items-center justify-between px-3 py-2 text-[13px]">
              <span>
                <span className="font-medium text-slate-900">{u.display_name}</span>{" "}
                <span className="text-slate-500">· {u.email}</span>
              </span>
              <Link
                to={`/users/${u.id}/preview`}
                className={cx("rounded-sm text-indigo-700 hover:underline", focusRing)}
              >
                Preview dashboard<span className="sr-only"> of {u.email}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
