import type { ReactNode } from "react";
import { pageTitle } from "./classes";

// The top of every console page: its one heading, a sentence on what it shows, and on the right
// whatever the page keeps at hand (a refresh stamp, a run button, a link).

export function PageHeader({
  title,
  description,
  below,
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  /** Under the description, e.g. the tabs between related views. */
  below?: ReactNode;
  /** Beside the heading, on the right (below it on narrow screens). */
  children?: ReactNode;
}) {
  return (
    <header className="flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className={pageTitle}>{title}</h1>
        {description ? <p className="mt-0.5 text-[13px] text-slate-500">{description}</p> : null}
        {below}
      </div>
      {children}
    </header>
  );
}
