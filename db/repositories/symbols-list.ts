import { type Expression, type SqlBool, sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { defaultsCountQuery } from "./defaults.js";
import type { Db } from "./transaction.js";
import {
  type Cursor,
  decodeCursor,
  encodeCursor,
  type GroupValue,
  SORTS,
  type SortDir,
  type SortKey,
} from "./symbols-sorts.js";

// The /symbols table: filtered, sorted and keyset-paginated on the server. A page reads
// `limit + 1` rows from an ordered index range (the extra row says whether a next page exists);
// the total is counted up to a cap, so no request reads the whole catalogue.

export const COUNT_CAP = 10_000;

export interface SymbolFilters {
  q?: string;
  assetClassId?: string;
  marketId?: string;
  /** A provider id, or "none" for symbols without one. */
  providerId?: string;
  isDefault?: boolean;
  isActive?: boolean;
  isTracked?: boolean;
  /** Internal: the ids a rare search matched (see SMALL_MATCH). */
  ids?: readonly string[];
}

/**
 * A search that matches few rows is answered from its matches (found through the search indexes)
 * rather than by walking a sort index until a page fills, which for a rare match would read most
 * of the catalogue: the planner cannot know in advance how rare a typed text is.
 */
export const SMALL_MATCH = 2_000;

export interface ListRequest {
  filters: SymbolFilters;
  sort: SortKey;
  dir: SortDir;
  after?: string | null;
  before?: string | null;
  limit: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function baseQuery(db: Db, filters: SymbolFilters) {
  let query = db.selectFrom("symbols as s");
  const q = filters.q?.trim();
  if (q) {
    const pattern = escapeLike(q.toLowerCase());
    // Ticker by prefix (ix_symbols_console_ticker_prefix), name by substring. The name arm is
    // split by status so each half has an index: active names use the API's trigram index
    // ix_symbols_search_display_trgm (partial on is_active, 20250103), deprecated ones (a few
    // percent) are read through ix_symbols_console_active_ticker and rechecked.
    query = query.where(sql<SqlBool>`(lower(s.ticker) like ${`${pattern}%`}
      or (s.is_active and lower(s.display) like ${`%${pattern}%`})
      or (not s.is_active and lower(s.display) like ${`%${pattern}%`}))`);
  }
  if (filters.ids) query = query.where(sql<SqlBool>`s.id = any(cast(${filters.ids} as uuid[]))`);
  if (filters.assetClassId) query = query.where("s.asset_class_id", "=", filters.assetClassId);
  if (filters.marketId) query = query.where("s.market_id", "=", filters.marketId);
  if (filters.providerId === "none") query = query.where("s.data_provider_id", "is", null);
  else if (filters.providerId) query = query.where("s.data_provider_id", "=", filters.providerId);
  if (filters.isDefault !== undefined) query = query.where("s.is_default_symbol", "=", filters.isDefault);
  if (filters.isActive !== undefined) query = query.where("s.is_active", "=", filters.isActive);
  if (filters.isTracked !== undefined) query = query.where("s.is_tracked", "=", filters.isTracked);
  return query;
}

function rowQuery(db: Db, filters: SymbolFilters) {
  return baseQuery(db, filters)
    .innerJoin("markets as m", "m.id", "s.market_id")
    .innerJoin("asset_classes as ac", "ac.id", "s.asset_class_id")
    .leftJoin("data_providers as dp", "dp.id", "s.data_provider_id")
    .select([
      "s.id",
      "s.ticker",
      "s.display",
      "s.version",
      "s.market_id",
      "s.broadcast_priority",
      "s.is_default_symbol",
      "s.is_active",
      "s.is_tracked",
      "s.last_broadcast_at",
      "s.updated_at",
      "s.data_provider_id",
      "m.code as market_code",
      "ac.code as asset_class_code",
      "dp.code as provider_code",
      "dp.connection_status as provider_status",
    ]);
}

export type SymbolListRow = Awaited<ReturnType<ReturnType<typeof rowQuery>["execute"]>>[number];
type KeyedRow = SymbolListRow & { sort_key: string; sort_group?: GroupValue };

const cmp = (dir: SortDir) => sql.raw(dir === "asc" ? ">" : "<");

/**
 * One index walk: the rows of one group (group sorts) or of the whole range, in `dir` order,
 * after `cursor` (exclusive). Exported so a test can EXPLAIN exactly what a page runs.
 */
export function pageQuery(
  db: Db,
  request: ListRequest,
  dir: SortDir,
  cursor: Cursor | null,
  limit: number,
  group?: GroupValue,
) {
  const spec = SORTS[request.sort];
  if (spec.kind === "range") {
    let query = rowQuery(db, request.filters).select(sql<string>`cast(${spec.key} as text)`.as("sort_key"));
    if (cursor) {
      query = query.where(
        sql<SqlBool>`(${spec.key}, s.id) ${cmp(dir)} (cast(${cursor.k} as ${sql.raw(spec.type)}), cast(${cursor.id} as uuid))`,
      );
    }
    return query.orderBy(spec.key, dir).orderBy("s.id", dir).limit(limit);
  }
  const inGroup: Expression<SqlBool> =
    group === null || group === undefined
      ? sql<SqlBool>`${spec.column} is null`
      : sql<SqlBool>`${spec.column} = ${group}`;
  let query = rowQuery(db, request.filters)
    .where(inGroup)
    .select(sql<string>`s.ticker`.as("sort_key"));
  if (cursor) query = query.where(sql<SqlBool>`(s.ticker, s.id) ${cmp(dir)} (${cursor.k}, cast(${cursor.id} as uuid))`);
  return query.orderBy("s.ticker", dir).orderBy("s.id", dir).limit(limit);
}

/** Up to `limit` rows in `dir` order after `cursor` (exclusive), crossing groups as needed. */
async function fetchRange(
  db: Db,
  request: ListRequest,
  dir: SortDir,
  cursor: Cursor | null,
  limit: number,
): Promise<KeyedRow[]> {
  const spec = SORTS[request.sort];
  if (spec.kind === "range") return pageQuery(db, request, dir, cursor, limit).execute();
  let groups = await spec.groups(db);
  if (dir === "desc") groups = [...groups].reverse();
  const start = cursor && cursor.g !== undefined ? Math.max(0, groups.indexOf(cursor.g)) : 0;
  const rows: KeyedRow[] = [];
  for (let i = start; i < groups.length && rows.length < limit; i++) {
    const group = groups[i]!;
    const within = cursor && i === start && cursor.g !== undefined ? cursor : null;
    const found = await pageQuery(db, request, dir, within, limit - rows.length, group).execute();
    rows.push(...found.map((r) => ({ ...r, sort_group: group })));
  }
  return rows;
}

const cursorFrom = (row: KeyedRow): Cursor => ({
  k: row.sort_key,
  id: row.id,
  ...(row.sort_group !== undefined ? { g: row.sort_group } : {}),
});
const cursorOf = (row: KeyedRow): string => encodeCursor(cursorFrom(row));

const strip = (row: KeyedRow): SymbolListRow => {
  const { sort_key: _k, sort_group: _g, ...rest } = row;
  return rest;
};

/** A search's few matches (found through the search indexes) become an id list to walk. */
async function narrowSearch<T extends { filters: SymbolFilters }>(
  db: Db,
  request: T,
): Promise<{ walk: T; count: { total: number; capped: boolean } | null }> {
  if (!request.filters.q) return { walk: request, count: null };
  const matches = await baseQuery(db, request.filters)
    .select("s.id")
    .limit(SMALL_MATCH + 1)
    .execute();
  if (matches.length > SMALL_MATCH) return { walk: request, count: null };
  return {
    walk: { ...request, filters: { ...request.filters, ids: matches.map((m) => m.id) } },
    count: { total: matches.length, capped: false },
  };
}

export interface SymbolPage {
  rows: SymbolListRow[];
  nextCursor: string | null;
  prevCursor: string | null;
  total: number;
  /** True when there are more matches than COUNT_CAP (the total then reads "10,000+"). */
  totalCapped: boolean;
}

export async function listSymbols(db: Db, request: ListRequest): Promise<SymbolPage> {
  const before = decodeCursor(request.before);
  const after = before ? null : decodeCursor(request.after);
  const backwards = before !== null;
  const flipped: SortDir = request.dir === "asc" ? "desc" : "asc";
  const { walk, count } = await narrowSearch(db, request);
  // The count and the page are independent reads: run side by side.
  const [counted, fetched] = await Promise.all([
    count ?? countSymbols(db, request.filters),
    fetchRange(db, walk, backwards ? flipped : request.dir, backwards ? before : after, request.limit + 1),
  ]);
  const more = fetched.length > request.limit;
  const page = fetched.slice(0, request.limit);
  if (backwards) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  return {
    rows: page.map(strip),
    nextCursor: last && (backwards || more) ? cursorOf(last) : null,
    prevCursor: first && (backwards ? more : after !== null) ? cursorOf(first) : null,
    total: counted.total,
    totalCapped: counted.capped,
  };
}

/**
 * Every row of a view (filters and sort, no paging), one keyset page of `pageSize` rows at a time,
 * so an export of the whole catalogue never holds more than one page.
 */
export async function* walkSymbols(
  db: Db,
  view: Pick<ListRequest, "filters" | "sort" | "dir">,
  pageSize = 1000,
): AsyncGenerator<SymbolListRow[]> {
  const { walk } = await narrowSearch(db, { ...view, limit: pageSize });
  let cursor: Cursor | null = null;
  for (;;) {
    const rows = await fetchRange(db, walk, walk.dir, cursor, pageSize);
    if (rows.length > 0) yield rows.map(strip);
    if (rows.length < pageSize) return;
    cursor = cursorFrom(rows.at(-1)!);
  }
}

export async function countSymbols(db: Db, filters: SymbolFilters): Promise<{ total: number; capped: boolean }> {
  const limited = baseQuery(db, filters)
    .select(sql`1`.as("one"))
    .limit(COUNT_CAP + 1);
  const row = await db
    .selectFrom(limited.as("t"))
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return { total: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}

/**
 * What every /symbols view needs beside its rows, in one statement (a round trip to the database
 * costs more than these rows): the filters' choices, each in code order, and how many defaults
 * there are (switching one confirms first when it fires the count trigger).
 */
export function listPageChoices(db: Db) {
  return db
    .selectNoFrom((eb) => [
      jsonArrayFrom(eb.selectFrom("asset_classes").select(["id", "code", "name"]).orderBy("code")).as("assetClasses"),
      jsonArrayFrom(eb.selectFrom("markets").select(["id", "code", "name"]).orderBy("code")).as("markets"),
      jsonArrayFrom(
        eb
          .selectFrom("data_providers")
          .select(["id", "code", "name", "market_id", "connection_status", "is_active"])
          .orderBy("code"),
      ).as("providers"),
      // A count always has its one row; coalesce tells the types so.
      eb.fn.coalesce(defaultsCountQuery(db), eb.lit(0)).as("defaultCount"),
    ])
    .executeTakeFirstOrThrow();
}

export type FilterOptions = Omit<Awaited<ReturnType<typeof listPageChoices>>, "defaultCount">;
