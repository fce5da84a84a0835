import { useState } from "react";
import type { SortKey } from "#db/repositories/symbols-sorts";
import { cx, focusRing } from "~/components/classes";
import { HIDEABLE } from "./columns";

// Which columns of /symbols show. Offered only with JavaScript (the choice lives in a cookie the
// browser writes); without it every column shows. The list is in the page only while open, so its
// labels ("Status", "Market") never compete with the filters' of the same name.

const summaryStyle = cx(
  "list-none rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50",
  focusRing,
);

function ChooserLabel({ shown }: { shown: number }) {
  return (
    <>
      Columns <span className="text-slate-500">{`(${shown} of ${HIDEABLE.length + 1})`}</span>
    </>
  );
}

/** Before hydration: the chooser's room, empty, so the header does not move when it appears. */
export function ColumnChooserRoom() {
  return (
    <span aria-hidden="true" className={cx(summaryStyle, "invisible")}>
      <ChooserLabel shown={HIDEABLE.length + 1} />
    </span>
  );
}

export function ColumnChooser({
  hidden,
  onChange,
}: {
  hidden: readonly SortKey[];
  onChange: (hidden: SortKey[]) => void;
}) {
  const shown = HIDEABLE.length - hidden.length;
  const [open, setOpen] = useState(false);
  return (
    <details className="relative" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className={cx(summaryStyle, "cursor-pointer")}>
        <ChooserLabel shown={shown + 1} />
      </summary>
      {open ? (
        <fieldset className="absolute right-0 z-20 mt-1 w-52 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
          <legend className="sr-only">Columns to show</legend>
          <p className="px-1 pb-1 text-[11px] text-slate-500">Ticker always shows. Remembered on this browser.</p>
          {HIDEABLE.map((column) => (
            <label
              key={column.key}
              className="flex items-center gap-2 rounded px-1 py-0.5 text-[13px] hover:bg-slate-50"
            >
              <input
                type="checkbox"
                checked={!hidden.includes(column.key)}
                onChange={(event) =>
                  onChange(event.target.checked ? hidden.filter((k) => k !== column.key) : [...hidden, column.key])
                }
                className="size-3.5 rounded border-slate-300 accent-indigo-600"
              />
              {column.label}
            </label>
          ))}
        </fieldset>
      ) : null}
    </details>
  );
}
