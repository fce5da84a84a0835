import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listUsersPage } from "#db/repositories/users";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";
import { Button } from "~/components/button";
import { cx, focusRing } from "~/components/classes";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
import { plural } from "~/utils/plural";
import { decodeUserCursor, encodeUserCursor } from "./cursor.server";

// Finding a platform user for a support case, to open their dashboard preview: every user, a page
// at a time in natural email order, or those matching a search.

const PAGE_SIZE = 25;

export const meta: MetaFunction = () => [{ title: "Users · Symbol Desk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  const params = new URL(request.url).searchParams;
  const q = (params.get("q") ?? "").trim().slice(0, 64);
  const after = decodeUserCursor(params.get("after"));
  const before = after ? undefined : decodeUserCursor(params.get("before"));
  const page = await withDb(({ db }) => listUsersPage(db, { q, after, before, limit: PAGE_SIZE }));
  const href = (key: "after" | "before", cursor: typeof page.next) => {
    if (!cursor) return null;
    const next = new URLSearchParams(q ? { q } : {});
    next.set(key, encodeUserCursor(cursor));
    return `/users?${next}`;
  };
  return {
    q,
    users: page.users,
    total: page.total,
    offset: page.offset,
    previousHref: href("before", page.previous),
    nextHref: href("after", page.next),
  };
}

const pageLink =
  "rounded-md border border-slate-300 bg-white px-3 py-1 font-medium text-slate-700 hover:bg-slate-50 " +
  "focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";

export default function UsersPage() {
  const { q, users, total, offset, previousHref, nextHref } = useLoaderData<typeof loader>();
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
        <Button type="submit" size="sm">
          Search
        </Button>
      </Form>
      <p aria-live="polite" className="text-[13px] text-slate-600">
        {users.length === 0
          ? ""
          : `${q ? `Users matching “${q}”: ${total}` : plural(total, "user")}; ` +
            `showing ${offset + 1}–${offset + users.length}.`}
      </p>
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
      {previousHref || nextHref ? (
        <nav aria-label="Pages of users" className="flex justify-between text-[13px]">
          {previousHref ? (
            <Link to={previousHref} className={pageLink}>
              ← Previous {PAGE_SIZE}
            </Link>
          ) : (
            <span className="text-slate-500">First page</span>
          )}
          {nextHref ? (
            <Link to={nextHref} className={pageLink}>
              Next {Math.min(PAGE_SIZE, total - offset - users.length)} →
            </Link>
          ) : (
            <span className="text-slate-500">Last page</span>
          )}
        </nav>
      ) : null}
    </div>
  );
}
