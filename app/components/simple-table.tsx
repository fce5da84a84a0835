import type { ReactNode } from "react";
import { cx } from "~/components/classes";

// The frame of a plain table: its caption for screen readers and one header row of column
// headings, in one of two looks; the rows (a <tbody>) are the caller's.

export interface Column {
  label: ReactNode;
  /** Right-aligned, for figures. */
  numeric?: boolean;
  /** Heard, not seen (a column of buttons). */
  hidden?: boolean;
}

const looks = {
  /** Inside a card, between other content. */
  inline: { head: "text-xs text-slate-500", row: "", cell: "py-1 font-medium" },
  /** A table that is a panel of its own, with a shaded header. */
  panel: {
    head: "bg-slate-50",
    row: "border-b border-slate-200 text-[11px] tracking-wide text-slate-500 uppercase",
    cell: "px-3 py-2 font-medium",
  },
};

export function SimpleTable({
  caption,
  columns,
  look = "inline",
  className,
  children,
}: {
  caption?: string;
  columns: Array<Column | false>;
  look?: keyof typeof looks;
  className?: string;
  children: ReactNode;
}) {
  const style = looks[look];
  return (
    <table className={cx("w-full text-left text-[13px]", className)}>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead className={style.head}>
        <tr className={style.row}>
          {columns.map((column, i) =>
            column ? (
              <th
                key={i}
                scope="col"
                className={column.hidden ? "sr-only" : cx(style.cell, column.numeric && "text-right")}
              >
                {column.label}
              </th>
            ) : null,
          )}
        </tr>
      </thead>
      {children}
    </table>
  );
}
