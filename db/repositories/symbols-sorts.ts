import { type RawBuilder, sql } from "kysely";
import type { Db } from "./transaction.js";

// The sorts the /symbols table offers: an allow-list, each served by an index of
// 20250109_console_indexes. A "range" sort walks one (key, id) index; a "group" sort (a column
// with few values) walks (column, ticker, id) one value at a time, in the order people expect
// (market codes alphabetically, not the uuids behind them).

export const SORT_KEYS = [
  "ticker",
  "name",
  "asset_class",
  "market",
  "provider",
  "priority",
  "default",
  "active",
  "tracked",
  "last_broadcast",
  "updated",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";

export type GroupValue = string | boolean | null;

export type SortSpec =
  | { kind: "range"; key: RawBuilder<unknown>; type: "text" | "integer" | "timestamptz"; defaultDir: SortDir }
  | { kind: "group"; column: RawBuilder<unknown>; groups: (db: Db) => Promise<GroupValue[]>; defaultDir: SortDir };

const codes = (table: "markets" | "asset_classes") => async (db: Db) =>
  (await db.selectFrom(table).select("id").orderBy("code").execute()).map((r) => r.id as GroupValue);

export const SORTS: Record<SortKey, SortSpec> = {
  ticker: { kind: "range", key: sql`s.ticker`, type: "text", defaultDir: "asc" },
  name: { kind: "range", key: sql`s.display`, type: "text", defaultDir: "asc" },
  priority: { kind: "range", key: sql`s.broadcast_priority`, type: "integer", defaultDir: "desc" },
  // No index since 20250115 (one on last_broadcast_at would make the broadcaster's stamp non-HOT):
  // this sort reads the table.
  last_broadcast: {
    kind: "range",
    key: sql`coalesce(s.last_broadcast_at, '-infinity'::timestamptz)`,
    type: "timestamptz",
    defaultDir: "desc",
  },
  updated: { kind: "range", key: sql`s.updated_at`, type: "timestamptz", defaultDir: "desc" },
  market: { kind: "group", column: sql`s.market_id`, groups: codes("markets"), defaultDir: "asc" },
  asset_class: { kind: "group", column: sql`s.asset_class_id`, groups: codes("asset_classes"), defaultDir: "asc" },
  provider: {
    kind: "group",
    column: sql`s.data_provider_id`,
    groups: async (db) => [
      ...(await db.selectFrom("data_providers").select("id").orderBy("code").execute()).map((r) => r.id),
      null,
    ],
    defaultDir: "asc",
  },
  default: { kind: "group", column: sql`s.is_default_symbol`, groups: async () => [false, true], defaultDir: "desc" },
  active: { kind: "group", column: sql`s.is_active`, groups: async () => [false, true], defaultDir: "desc" },
  tracked: { kind: "group", column: sql`s.is_tracked`, groups: async () => [false, true], defaultDir: "desc" },
};

/** Where one page ended: the sort key (as text), the group (group sorts only) and the id. */
export interface Cursor {
  g?: GroupValue;
  k: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cursor from the URL, or null when it is not one of ours (then the first page is shown). */
export function decodeCursor(text: string | null | undefined): Cursor | null {
  if (!text || text.length > 500) return null;
  try {
    const value = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<Cursor>;
    if (typeof value.k !== "string" || typeof value.id !== "string" || !UUID.test(value.id)) return null;
    const g = value.g;
    if (g !== undefined && g !== null && typeof g !== "boolean" && !(typeof g === "string" && UUID.test(g)))
      return null;
    return { k: value.k, id: value.id, ...(g !== undefined ? { g } : {}) };
  } catch {
    return null;
  }
}
