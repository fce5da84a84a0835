import { Form, Link } from "@remix-run/react";
import { useRef } from "react";
import { useSlashFocus } from "~/components/use-slash-focus";
import type { FilterOptions } from "#db/repositories/symbols-list";
import type { ListParams } from "./query.server";
import { cx, focusRing } from "~/components/classes";

// The filter bar of /symbols: a GET form, so every filter lands in the URL.

const selectStyle = cx(
  "mt-1 block w-full rounded-md border border-slate-300 bg-white py-1 pr-7 pl-2 text-[13px]",
  focusRing,
);

function Select({
  name,
  label,
  value,
  children,
}: {
  name: string;
  label: string;
  value: string | undefined;
  children: React.ReactNode;
}) {
  return (
    <div>
      <label htmlFor={`filter-${name}`} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <select id={`filter-${name}`} name={name} defaultValue={value ?? ""} className={selectStyle}>
        {children}
      </select>
    </div>
  );
}

function YesNoSelect({
  name,
  label,
  value,
  yes,
  no,
}: {
  name: string;
  label: string;
  value: string | undefined;
  yes: string;
  no: string;
}) {
  return (
    <Select name={name} label={label} value={value}>
      <option value="">Any</option>
      <option value="yes">{yes}</option>
      <option value="no">{no}</option>
    </Select>
  );
}

export function SymbolFilters({ params, options }: { params: ListParams; options: FilterOptions }) {
  const search = useRef<HTMLInputElement>(null);
  useSlashFocus(search);
  return (
    <Form
      method="get"
      role="search"
      aria-label="Filter symbols"
      className="rounded-lg border border-slate-200 bg-white p-3 shadow-xs"
    >
      <input type="hidden" name="sort" value={params.sort} />
      <input type="hidden" name="dir" value={params.dir} />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 lg:grid-cols-9">
        <div className="col-span-2">
          <label htmlFor="filter-q" className="block text-xs font-medium text-slate-600">
            Search ticker or name
          </label>
          <input
            ref={search}
            id="filter-q"
            aria-keyshortcuts="/"
            name="q"
            type="search"
            defaultValue={params.q ?? ""}
            maxLength={64}
            placeholder="BTC, Apple… (press /)"
            className={cx(
              "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-[13px] placeholder:text-slate-500",
              focusRing,
            )}
          />
        </div>
        <Select name="assetClass" label="Asset class" value={params.assetClass}>
          <option value="">Any</option>
          {options.assetClasses.map((a) => (
            <option key={a.id} value={a.id}>
              {a.code}
            </option>
          ))}
        </Select>
        <Select name="market" label="Market" value={params.market}>
          <option value="">Any</option>
          {options.markets.map((m) => (
            <option key={m.id} value={m.id}>
              {m.code}
            </option>
          ))}
        </Select>
        <Select name="provider" label="Provider" value={params.provider}>
          <option value="">Any</option>
          {options.providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.code}
            </option>
          ))}
          <option value="none">No provider</option>
        </Select>
        <YesNoSelect name="default" label="Default" value={params.default} yes="Default" no="Not default" />
        <YesNoSelect name="active" label="Status" value={params.active} yes="Active" no="Deprecated" />
        <YesNoSelect name="tracked" label="Tracked" value={params.tracked} yes="Tracked" no="Not tracked" />
        <Select name="size" label="Rows per page" value={String(params.size)}>
          {[25, 50, 100].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </Select>
      </div>
      <div className="mt-3 flex items-center gap-2">
        <button
          type="submit"
          className={cx(
            "rounded-md bg-slate-900 px-3 py-1 text-[13px] font-semibold text-white",
            "hover:bg-slate-700 focus-visible:ring-offset-2",
            focusRing,
          )}
        >
          Apply filters
        </button>
        <Link
          to="/symbols"
          className={cx("rounded-md px-2 py-1 text-[13px] font-medium text-slate-600 hover:text-slate-900", focusRing)}
        >
          Clear all
        </Link>
      </div>
    </Form>
  );
}
