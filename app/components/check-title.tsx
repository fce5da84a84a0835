import { plural } from "~/utils/plural";

/** A check's title with how many rows offend it, as the home summary and /quality both show it. */
export function CheckTitle({ title, offendingCount }: { title: string; offendingCount: number }) {
  return (
    <p className="text-[13px] font-medium text-slate-900">
      {title}
      {offendingCount > 0 ? (
        <span className="ml-1.5 font-normal text-slate-500">· {plural(offendingCount, "offending row")}</span>
      ) : null}
    </p>
  );
}
