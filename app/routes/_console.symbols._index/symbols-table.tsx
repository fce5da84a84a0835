import { memo, useRef } from "react";
import type { SymbolListRow } from "#db/repositories/symbols-list";
import type { SortKey } from "#db/repositories/symbols-sorts";
import { formatUtc } from "~/components/format-utc";
import { ConnectionStatus, YesNo } from "~/components/status-pills";
import type { ProviderOption } from "~/components/symbol-edit-controls";
import { cx, focusRing } from "~/components/classes";
import { useInAppLinks } from "~/components/use-in-app-links";
import { COLUMNS } from "./columns";
import { RowActive, RowPriority, RowProvider, rowStyles, RowSwitch } from "./row-editors";

// The /symbols table: sortable headers (links, so sorting is in the URL), one row per symbol with
// its inline editors for operators and plain values for viewers. The rows' look is set once on
// the table body (rowStyles), and a row renders again only when its own data or tick changes.

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
  /** Stable across renders, so unchanged rows are not drawn again. */
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
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const links = useRef<HTMLDivElement>(null);
  useInAppLinks(links);
  return (
    // relative: the headers' screen-reader-only text is positioned inside this box, so it cannot
    // widen the page beyond it.
    <div ref={links} className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
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
            {COLUMNS.filter((c) => !hidden.includes(c.key)).map((column) => {
              const active = column.key === sort;
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}
                  // The provider column holds the picker's room before it appears (operators), so nothing moves.
                  className={cx(
                    "px-2 py-2 font-medium whitespace-nowrap",
                    canEdit && column.key === "provider" && "min-w-48",
                  )}
                >
                  <a
                    href={sortHref(column.key)}
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
                  </a>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className={rowStyles}>
          {rows.map((row, index) => (
            <SymbolRow
              key={row.id}
              index={index}
              row={row}
              canEdit={canEdit}
              here={here}
              providers={providers}
              checked={selected.has(row.id)}
              onSelect={onSelect}
              hydrated={hydrated}
              defaultCount={defaultCount}
              hidden={hidden}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface RowProps {
  row: Row;
  index: number;
  canEdit: boolean;
  here: string;
  providers: ProviderOption[];
  checked: boolean;
  onSelect: (id: string, on: boolean) => void;
  hydrated: boolean;
  defaultCount: number;
  hidden: readonly SortKey[];
}

/** A UTC timestamp (styled by the table body), or "never". */
function Time({ at }: { at: string | Date | null }) {
  if (!at) return <span className="text-slate-500">never</span>;
  const date = new Date(at);
  return <time dateTime={date.toISOString()}>{formatUtc(date)}</time>;
}

const SymbolRow = memo(function SymbolRow({
  row,
  index,
  canEdit,
  here,
  providers,
  checked,
  onSelect,
  hydrated,
  defaultCount,
  hidden,
}: RowProps) {
  const shows = (key: SortKey) => !hidden.includes(key);
  const defaults = { count: defaultCount };
  const edit = { symbol: row, redirectTo: here, hydrated, formId: `row-${index}` };
  return (
    <tr className={checked ? "bg-indigo-50/50" : undefined}>
      {canEdit ? (
        <td>
          <input
            type="checkbox"
            form="bulk-form"
            name="ids"
            value={`${row.id}:${row.version}`}
            aria-label={`Select ${row.ticker}`}
            {...(hydrated ? { checked, onChange: (e) => onSelect(row.id, e.target.checked) } : {})}
          />
        </td>
      ) : null}
      <th scope="row">
        <a href={`/symbols/${row.id}`}>{row.ticker}</a>
      </th>
      {shows("name") ? <td title={row.display}>{row.display}</td> : null}
      {shows("asset_class") ? <td>{row.asset_class_code}</td> : null}
      {shows("market") ? <td>{row.market_code}</td> : null}
      {shows("provider") ? (
        <td>
          {/* An editor's picker names each provider with its status; viewers see it below the code. */}
          {!canEdit ? (
            <>
              <span className="block">{row.provider_code ?? <span className="text-slate-500">none</span>}</span>
              <ConnectionStatus status={row.provider_status} />
            </>
          ) : hydrated ? (
            <RowProvider symbol={row} providers={providers} />
          ) : (
            (row.provider_code ?? "none")
          )}
        </td>
      ) : null}
      {shows("priority") ? (
        <td>{canEdit ? <RowPriority {...edit} /> : <span className="tabular-nums">{row.broadcast_priority}</span>}</td>
      ) : null}
      {shows("default") ? (
        <td>
          {!canEdit ? (
            <YesNo value={row.is_default_symbol} />
          ) : hydrated ? (
            <RowSwitch symbol={row} intent="default" label="Default symbol" defaults={defaults} />
          ) : (
            <YesNo value={row.is_default_symbol} />
          )}
        </td>
      ) : null}
      {shows("active") ? (
        <td>
          <div>
            {row.is_active ? <span>Active</span> : <span data-deprecated="">Deprecated</span>}
            {canEdit ? <RowActive {...edit} defaults={defaults} /> : null}
          </div>
        </td>
      ) : null}
      {shows("tracked") ? (
        <td>
          {!canEdit ? (
            <YesNo value={row.is_tracked} />
          ) : hydrated ? (
            <RowSwitch symbol={row} intent="tracked" label="Tracked" />
          ) : (
            <YesNo value={row.is_tracked} />
          )}
        </td>
      ) : null}
      {shows("last_broadcast") ? (
        <td>
          <Time at={row.last_broadcast_at} />
        </td>
      ) : null}
      {shows("updated") ? (
        <td>
          <Time at={row.updated_at} />
        </td>
      ) : null}
    </tr>
  );
});
