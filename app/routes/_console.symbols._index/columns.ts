import type { SortKey } from "#db/repositories/symbols-sorts";

// The /symbols columns a person may hide. The choice is kept in a cookie (so the server renders
// the chosen columns, with no flash of the others), written by the chooser with JavaScript;
// without it nothing writes the cookie and every column shows. The cookie names the hidden
// columns, so a column added later shows until someone hides it.

export const COLUMNS: Array<{ key: SortKey; label: string }> = [
  { key: "ticker", label: "Ticker" },
  { key: "name", label: "Name" },
  { key: "asset_class", label: "Class" },
  { key: "market", label: "Market" },
  { key: "provider", label: "Provider" },
  { key: "priority", label: "Priority" },
  { key: "default", label: "Default" },
  { key: "active", label: "Status" },
  { key: "tracked", label: "Tracked" },
  { key: "last_broadcast", label: "Last broadcast" },
  { key: "updated", label: "Last change" },
];

/** The ticker names the row (its header cell): it always shows. */
export const HIDEABLE = COLUMNS.filter((c) => c.key !== "ticker");

export const COLUMNS_COOKIE = "symbols_hidden_columns";
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/** The hidden columns a Cookie header names; anything else in it is ignored. */
export function hiddenColumnsFrom(cookieHeader: string | null): SortKey[] {
  const raw = cookieHeader
    ?.split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${COLUMNS_COOKIE}=`))
    ?.slice(COLUMNS_COOKIE.length + 1);
  if (!raw) return [];
  const names = decodeURIComponent(raw).split(".");
  return HIDEABLE.map((c) => c.key).filter((key) => names.includes(key));
}

/** The document.cookie assignment that remembers `hidden` for a year. */
export function hiddenColumnsCookie(hidden: readonly SortKey[]): string {
  return `${COLUMNS_COOKIE}=${encodeURIComponent(hidden.join("."))}; Path=/symbols; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax`;
}
