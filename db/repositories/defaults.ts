import { sql } from "kysely";
import { defaultSymbolsQuery } from "../queries/default-symbols.js";
import { editSymbol } from "./symbols-edit.js";
import { type Db, inTransaction } from "./transaction.js";

// The default symbols anonymous users see, managed from /symbols/defaults. The list is the seed's
// default query (its one definition) plus the version each edit checks. The seed's rule is nine
// defaults (db/rules/defaults.ts); a different count is a rollback trigger, so the page warns
// rather than refuses.

export function listDefaultsForEditing(db: Db) {
  return defaultSymbolsQuery(db).select(["version", "display_order", "broadcast_priority"]).execute();
}

export type EditableDefault = Awaited<ReturnType<typeof listDefaultsForEditing>>[number];

/** The default set or its versions changed since the editor loaded them: nothing was saved. */
export class DefaultsChangedError extends Error {
  constructor(readonly current: EditableDefault[]) {
    super(
      "The defaults were changed by someone else since you loaded them; nothing was saved. The current order is shown.",
    );
    this.name = "DefaultsChangedError";
  }
}

/**
 * Saves a new display order (1..n) for the current defaults in one transaction. `order` must
 * name exactly the current defaults, each with the version the editor saw.
 */
export function saveDefaultOrder(
  db: Db,
  input: { staffId: string; order: ReadonlyArray<{ id: string; version: number }> },
): Promise<{ changed: number }> {
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom("symbols")
      .select(["id", "version", "display_order"])
      .where("is_default_symbol", "=", true)
      .where("is_active", "=", true)
      .orderBy("display_order")
      .forUpdate()
      .execute();
    const byId = new Map(current.map((row) => [row.id, row]));
    const sameSet =
      current.length === input.order.length && input.order.every((item) => byId.get(item.id)?.version === item.version);
    if (!sameSet || new Set(input.order.map((i) => i.id)).size !== input.order.length) {
      throw new DefaultsChangedError(await listDefaultsForEditing(trx));
    }
    let changed = 0;
    for (const [index, item] of input.order.entries()) {
      const before = byId.get(item.id)!;
      const position = index + 1;
      if (before.display_order === position) continue;
      await trx
        .updateTable("symbols")
        .set({ display_order: position, version: sql`version + 1` })
        .where("id", "=", item.id)
        .where("version", "=", item.version)
        .execute();
      await trx
        .insertInto("symbol_audit")
        .values({
          staff_id: input.staffId,
          symbol_id: item.id,
          action: "reorder_defaults",
          field: "display_order",
          before_value: String(before.display_order),
          after_value: String(position),
        })
        .execute();
      changed++;
    }
    return { changed };
  });
}

export const addDefault = (db: Db, input: { staffId: string; symbolId: string; version: number }) =>
  editSymbol(db, { ...input, changes: { is_default_symbol: true } });

export const removeDefault = (db: Db, input: { staffId: string; symbolId: string; version: number }) =>
  editSymbol(db, { ...input, changes: { is_default_symbol: false } });

/** Active symbols that are not defaults yet, matching a ticker prefix or a name, for the picker. */
export function searchDefaultCandidates(db: Db, q: string, limit = 10) {
  const text = q
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .selectFrom("symbols as s")
    .innerJoin("markets as m", "m.id", "s.market_id")
    .select(["s.id", "s.ticker", "s.display", "s.version", "m.code as market_code"])
    .where("s.is_active", "=", true)
    .where("s.is_default_symbol", "=", false)
    .where(sql<boolean>`(lower(s.ticker) like ${`${text}%`} or s.display ilike ${`%${text}%`})`)
    .orderBy("s.ticker")
    .orderBy("s.id")
    .limit(limit)
    .execute();
}

/**
 * How many defaults anonymous users see now (the number the default-count trigger judges), or
 * how many of the symbols `among` are defaults.
 */
export function defaultsCountQuery(db: Db, among?: readonly string[]) {
  let query = db
    .selectFrom("symbols")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("is_default_symbol", "=", true)
    .where("is_active", "=", true);
  if (among) query = query.where(sql<boolean>`id = any(cast(${among} as uuid[]))`);
  return query;
}

export async function countDefaults(db: Db, among?: readonly string[]): Promise<number> {
  return (await defaultsCountQuery(db, among).executeTakeFirstOrThrow()).n;
}
