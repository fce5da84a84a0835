import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { useCallback, useState } from "react";
import { listPageChoices, listSymbols } from "#db/repositories/symbols-list";
import { type SortKey, SORTS } from "#db/repositories/symbols-sorts";
import { roleAtLeast } from "#db/repositories/staff";
import { FormAlert } from "~/components/form";
import { useHydrated } from "~/components/use-hydrated";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";
import { BulkBar, BulkConfirmPanel } from "./bulk-bar";
import { ColumnChooser, ColumnChooserRoom } from "./column-chooser";
import { ConfirmProvider } from "./confirm";
import { hiddenColumnsCookie, hiddenColumnsFrom } from "./columns";
import { bulkAction } from "./bulk.server";
import { SymbolFilters } from "./filters";
import { parseListParams } from "./query.server";
import { SymbolsTable } from "./symbols-table";
import { cx, focusRing } from "~/components/classes";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Symbols · Symbol Desk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "viewer");
  const hiddenColumns = hiddenColumnsFrom(request.headers.get("Cookie"));
  const url = new URL(request.url);
  const { params, request: listRequest } = parseListParams(url);
  return withDb(async ({ db }) => {
    const started = performance.now();
    const [page, { defaultCount, ...options }] = await Promise.all([listSymbols(db, listRequest), listPageChoices(db)]);
    const bulkChanged = url.searchParams.get("bulkChanged");
    return {
      page,
      options,
      params,
      defaultCount,
      hiddenColumns,
      canEdit: roleAtLeast(staff.role, "operator"),
      queryMs: Math.round(performance.now() - started),
      bulkChanged: bulkChanged && /^\d+$/.test(bulkChanged) ? Number(bulkChanged) : null,
    };
  });
}

export const action = ({ request }: ActionFunctionArgs) => bulkAction(request);

const count = new Intl.NumberFormat("en-US");

export default function SymbolsPage() {
  const { page, options, params, defaultCount, hiddenColumns, canEdit, queryMs, bulkChanged } =
    useLoaderData<typeof loader>();
  const [hidden, setHidden] = useState(hiddenColumns);
  const chooseColumns = (next: SortKey[]) => {
    setHidden(next);
    document.cookie = hiddenColumnsCookie(next);
  };
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const selectRow = useCallback(
    (id: string, on: boolean) =>
      setSelected((prev) => {
        const next = new Set(prev);
        if (on) next.add(id);
        else next.delete(id);
        return next;
      }),
    [],
  );
  const here = `${location.pathname}${location.search}`;

  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams);
    for (const key of ["after", "before", "bulkChanged"]) next.delete(key);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    return `/symbols?${next}`;
  };
  const sortHref = (key: SortKey) => {
    const dir = key === params.sort ? (params.dir === "asc" ? "desc" : "asc") : SORTS[key].defaultDir;
    return withParams({ sort: key, dir });
  };
  // The export takes the view (filters and sort) and leaves the paging: it holds every match.
  const exportParams = new URLSearchParams(searchParams);
  for (const key of ["after", "before", "bulkChanged", "size"]) exportParams.delete(key);
  const exportHref = `/symbols.csv${exportParams.size > 0 ? `?${exportParams}` : ""}`;
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/symbols";
  const total = `${count.format(page.total)}${page.totalCapped ? "+" : ""}`;

  return (
    <ConfirmProvider>
      <div className="space-y-4">
        <PageHeader
          title="Symbols"
          description={
            <>
              Every symbol of the catalogue.{" "}
              {canEdit
                ? "Edit priority, default, status, tracking and provider in place."
                : "You have read-only access."}
            </>
          }
        >
          <div className="flex items-center gap-3">
            <p className="text-xs text-slate-500" aria-live="polite">
              {loading ? (
                "Loading…"
              ) : (
                <>
                  {total} {page.total === 1 ? "match" : "matches"} · page read in {queryMs} ms
                </>
              )}
            </p>
            {hydrated ? <ColumnChooser hidden={hidden} onChange={chooseColumns} /> : <ColumnChooserRoom />}
            <a
              href={exportHref}
              download
              className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
            >
              Export CSV<span className="sr-only"> of every symbol matching these filters, in this order</span>
            </a>
          </div>
        </PageHeader>

        <SymbolFilters key={location.search} params={params} options={options} />

        {bulkChanged !== null ? (
          <FormAlert
            tone="info"
            message={`Bulk change applied: ${bulkChanged} symbol${bulkChanged === 1 ? "" : "s"} changed.`}
          />
        ) : null}
        {actionData && "kind" in actionData && actionData.kind === "confirm" ? (
          <BulkConfirmPanel message={actionData.message} fields={actionData.fields} />
        ) : null}
        {actionData && "kind" in actionData && actionData.kind !== "confirm" && actionData.kind !== "saved" ? (
          <FormAlert
            message={
              actionData.kind === "invalid"
                ? (Object.values(actionData.fieldErrors)[0] ?? actionData.message)
                : actionData.message
            }
          />
        ) : null}

        {canEdit ? (
          <BulkBar
            selectedCount={selected.size}
            selectedDefaults={page.rows.filter((r) => selected.has(r.id) && r.is_default_symbol).length}
            defaultCount={defaultCount}
            here={here}
            hydrated={hydrated}
            providers={options.providers}
            markets={options.markets}
            onDone={() => setSelected(new Set())}
          />
        ) : null}

        {page.rows.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
            <p className="text-sm font-medium text-slate-900">No symbols match these filters.</p>
            <p className="mt-1 text-[13px] text-slate-500">
              Try a shorter search or{" "}
              <Link to="/symbols" className="text-indigo-700 underline">
                clear all filters
              </Link>
              .
            </p>
          </div>
        ) : (
          <div className={loading ? "opacity-60 transition-opacity" : ""}>
            <SymbolsTable
              rows={page.rows}
              sort={params.sort}
              dir={params.dir ?? "asc"}
              sortHref={sortHref}
              canEdit={canEdit}
              here={here}
              providers={options.providers}
              selected={selected}
              hydrated={hydrated}
              defaultCount={defaultCount}
              hidden={hidden}
              onSelect={selectRow}
              onSelectAll={(on) => setSelected(on ? new Set(page.rows.map((r) => r.id)) : new Set())}
            />
          </div>
        )}

        <nav aria-label="Pages" className="flex items-center justify-between text-[13px]">
          <Link to={withParams({})} className={cx("rounded-sm text-slate-600 hover:text-slate-900", focusRing)}>
            First page
          </Link>
          <div className="flex gap-2">
            {page.prevCursor ? (
              <Link
                to={withParams({ before: page.prevCursor })}
                className={cx(
                  "rounded-md border border-slate-300 bg-white px-3 py-1 font-medium hover:bg-slate-50",
                  focusRing,
                )}
              >
                ← Previous
              </Link>
            ) : (
              <span className="rounded-md border border-slate-200 px-3 py-1 text-slate-500" aria-disabled="true">
                ← Previous
              </span>
            )}
            {page.nextCursor ? (
              <Link
                to={withParams({ after: page.nextCursor })}
                className={cx(
                  "rounded-md border border-slate-300 bg-white px-3 py-1 font-medium hover:bg-slate-50",
                  focusRing,
                )}
              >
                Next →
              </Link>
            ) : (
              <span className="rounded-md border border-slate-200 px-3 py-1 text-slate-500" aria-disabled="true">
                Next →
              </span>
            )}
          </div>
        </nav>
      </div>
    </ConfirmProvider>
  );
}
