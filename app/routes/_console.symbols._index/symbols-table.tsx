import { Link } from "@remix-run/react";
import type { SymbolListRow } from "#db/repositories/symbols-list";
import type { SortKey } from "#db/repositories/symbols-sorts";
import { ActivePill, ConnectionStatus, When, YesNo } from "~/components/status-pills";
import {
  ActiveToggle,
  FlagSwitch,
  PriorityEditor,
  type ProviderOption,
  ProviderPicker,
} from "~/components/symbol-edit-controls";
import { cx, focusRing } from "~/components/classes";
import { COLUMNS } from "./columns";

// The /symbols table: sortable headers (links, so sorting is in the URL), one row per symbol with
// its inline editors for operators and plain values for viewers.

type Row = Omit<SymbolListRow, "last_broadcast_at" | "updated_at"> & {
  last_broadcast_at: string | Date | null;
  updated_at: string | Date;
};

interface Props {
  rows: Row[];
  sort: SortKey;
  dir: "asc" | "desc";
  sortHref: (key: SortKey) => string;
  canEdit: boolean;
  here: string;
  providers: ProviderOption[];
  selected: Set<string>;
  onSelect: (id: string, on: boolean) => void;
  onSelectAll: (on: boolean) => void;
  hydrated: boolean;
  /** How many defaults there are: switching one confirms first when it fires the count trigger. */
  defaultCount: number;
  /** Columns the person chose to hide (see ./columns.ts). */
  hidden: readonly SortKey[];
}

export function SymbolsTable({
  rows,
  sort,
  dir,
  sortHref,
  canEdit,
  here,
  providers,
  selected,
  onSelect,
  onSelectAll,
  hydrated,
  defaultCount,
  hidden,
}: Props) {
  const shows = (key: SortKey) => !hidden.includes(key);
  const defaults = { count: defaultCount };
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  return (
    // relative: the headers' screen-reader-only text is positioned inside this box, so it cannot
    // widen the page beyond it.
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
      <table className="w-full text-left text-[13px]">
        <caption className="sr-only">
          Symbols, sorted by {COLUMNS.find((c) => c.key === sort)?.label} {dir === "asc" ? "ascending" : "descending"}
        </caption>
        <thead className="bg-slate-50">
          <tr className="border-b border-slate-200 text-[11px] tracking-wide text-slate-500 uppercase">
            {canEdit ? (
              <th scope="col" className="w-8 px-2 py-2">
                {hydrated ? (
                  <input
                    type="checkbox"
                    aria-label="Select all symbols on this page"
                    checked={allSelected}
                    onChange={(e) => onSelectAll(e.target.checked)}
                    className="size-3.5 rounded border-slate-300 accent-indigo-600"
                  />
                ) : (
                  <span className="sr-only">Select</span>
                )}
              </th>
            ) : null}
            {COLUMNS.filter((c) => shows(c.key)).map((column) => {
              const active = column.key === sort;
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}
                  className="px-2 py-2 font-medium whitespace-nowrap"
                >
                  <Link
                    to={sortHref(column.key)}
                    className={cx(
                      "inline-flex items-center gap-1 rounded-sm hover:text-slate-900",
                      focusRing,
                      active ? "text-slate-900" : "",
                    )}
                  >
                    {column.label}
                    <span aria-hidden="true" className="text-[10px]">
                      {active ? (dir === "asc" ? "▲" : "▼") : "↕"}
                    </span>
                    <span className="sr-only">
                      {active ? `, sorted ${dir === "asc" ? "ascending" : "descending"}` : ", sort"}
                    </span>
                  </Link>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.id}
              className={`border-b border-slate-100 align-top last:border-0 hover:bg-slate-50/60 ${selected.has(row.id) ? "bg-indigo-50/50" : ""}`}
            >
              {canEdit ? (
                <td className="px-2 py-1.5">
                  <input
                    type="checkbox"
                    form="bulk-form"
                    name="ids"
                    value={`${row.id}:${row.version}`}
                    aria-label={`Select ${row.ticker}`}
                    {...(hydrated
                      ? {
                          checked: selected.has(row.id),
                          onChange: (e: React.ChangeEvent<HTMLInputElement>) => onSelect(row.id, e.target.checked),
                        }
                      : {})}
                    className="size-3.5 rounded border-slate-300 accent-indigo-600"
                  />
                </td>
              ) : null}
              <th scope="row" className="px-2 py-1.5 font-mono text-[13px] font-semibold whitespace-nowrap">
                <Link to={`/symbols/${row.id}`} className={cx("rounded-sm text-indigo-700 hover:underline", focusRing)}>
                  {row.ticker}
                </Link>
              </th>
              {shows("name") ? (
                <td className="max-w-48 truncate px-2 py-1.5 text-slate-700" title={row.display}>
                  {row.display}
                </td>
              ) : null}
              {shows("asset_class") ? (
                <td className="px-2 py-1.5 text-xs text-slate-600">{row.asset_class_code}</td>
              ) : null}
              {shows("market") ? <td className="px-2 py-1.5 text-xs text-slate-600">{row.market_code}</td> : null}
              {shows("provider") ? (
                <td className="px-2 py-1.5">
                  {/* An editor's picker names each provider with its status; viewers see it below the code. */}
                  {canEdit ? (
                    <ProviderPicker symbol={row} redirectTo={here} providers={providers} compact />
                  ) : (
                    <>
                      <div className="text-xs">{row.provider_code ?? <span className="text-slate-500">none</span>}</div>
                      <ConnectionStatus status={row.provider_status} />
                    </>
                  )}
                </td>
              ) : null}
              {shows("priority") ? (
                <td className="px-2 py-1.5">
                  {canEdit ? (
                    <PriorityEditor symbol={row} redirectTo={here} compact />
                  ) : (
                    <span className="tabular-nums">{row.broadcast_priority}</span>
                  )}
                </td>
              ) : null}
              {shows("default") ? (
                <td className="px-2 py-1.5">
                  {canEdit ? (
                    <FlagSwitch
                      symbol={row}
                      redirectTo={here}
                      intent="default"
                      label="Default symbol"
                      compact
                      defaults={defaults}
                    />
                  ) : (
                    <YesNo value={row.is_default_symbol} />
                  )}
                </td>
              ) : null}
              {shows("active") ? (
                <td className="px-2 py-1.5">
                  <div className="flex flex-col items-start gap-1">
                    <ActivePill active={row.is_active} />
                    {canEdit ? <ActiveToggle symbol={row} redirectTo={here} compact defaults={defaults} /> : null}
                  </div>
                </td>
              ) : null}
              {shows("tracked") ? (
                <td className="px-2 py-1.5">
                  {canEdit ? (
                    <FlagSwitch symbol={row} redirectTo={here} intent="tracked" label="Tracked" compact />
                  ) : (
                    <YesNo value={row.is_tracked} />
                  )}
                </td>
              ) : null}
              {shows("last_broadcast") ? (
                <td className="px-2 py-1.5 text-xs text-slate-600">
                  <When at={row.last_broadcast_at} />
                </td>
              ) : null}
              {shows("updated") ? (
                <td className="px-2 py-1.5 text-xs text-slate-600">
                  <When at={row.updated_at} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
