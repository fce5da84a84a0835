import type { Transaction } from "kysely";
import { type DefaultSymbol, listDefaultSymbols } from "../queries/default-symbols.js";
import { backedUpDefaultSymbols, readThroughRollback, type RolledBack } from "../queries/rolled-back-20250108.js";
import { listUserSymbols, listUserSymbolsWithout20250108, type UserSymbol } from "../queries/user-symbols.js";
import type { Database } from "../schema.js";
import { type Db, inTransaction } from "./transaction.js";
import { lockUser } from "./users.js";

// An end user's dashboard symbols (user_dashboard_preferences). Reads go through the seed's two
// critical queries (db/queries), so the API shows exactly what those define. Every write is one
// transaction that first locks the user's row: writes of one user are serialised, so "already on
// the list", "next display order" and "the whole list" are decided on a list nobody else changes.

export type PreferenceErrorKind = "not_found" | "conflict" | "invalid";

/** A rule a request broke; `fields` names the input that broke it (for the API's error body). */
export class PreferenceError extends Error {
  constructor(
    readonly kind: PreferenceErrorKind,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = "PreferenceError";
  }
}

export interface PreferenceSettings {
  displayOrder: number;
  isPinned: boolean;
  isVisible: boolean;
}

export interface DashboardSymbol {
  id: string;
  ticker: string;
  display: string;
  currentPrice: string | null;
  priceChange24h: string | null;
  /** The user's own settings; null when the list is the defaults. */
  preference: PreferenceSettings | null;
}

export interface Dashboard {
  /** "preferences" when the user has visible symbols of their own, otherwise "defaults". */
  source: "preferences" | "defaults";
  symbols: DashboardSymbol[];
  /** Set while 20250108 is rolled back: the list was read without its columns (defaults from its backup). */
  rolledBack: RolledBack | null;
}

export interface UserSymbolPreference extends PreferenceSettings {
  symbolId: string;
  ticker: string;
  display: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewPreferenceInput {
  symbolId: string;
  displayOrder?: number;
  isPinned?: boolean;
  isVisible?: boolean;
}

export type PreferenceChange = Partial<PreferenceSettings>;

/** The user's visible symbols (pinned first, then their order), or the defaults when they have none. */
export async function dashboardFor(db: Db, userId: string): Promise<Dashboard> {
  // The list and the defaults are read on the same side of a rollback or re-apply of 20250108:
  // both on its columns, or both without them.
  const { value, rolledBack } = await readThroughRollback(
    db,
    (db) => listOrDefaults(listUserSymbols(db, userId), () => listDefaultSymbols(db)),
    (db) => listOrDefaults(listUserSymbolsWithout20250108(db, userId), () => backedUpDefaultSymbols(db)),
  );
  if (value.own) {
    return {
      source: "preferences",
      rolledBack,
      symbols: value.own.map((row) => ({
        id: row.id,
        ticker: row.ticker,
        display: row.display,
        currentPrice: row.current_price,
        priceChange24h: row.price_change_24h,
        preference: { displayOrder: row.display_order, isPinned: row.is_pinned, isVisible: row.is_visible },
      })),
    };
  }
  return {
    source: "defaults",
    rolledBack,
    symbols: value.defaults.map((row) => ({
      id: row.id,
      ticker: row.ticker,
      display: row.display,
      currentPrice: row.current_price,
      priceChange24h: row.price_change_24h,
      preference: null,
    })),
  };
}

/** The user's own list, or (only when it is empty) the defaults. */
async function listOrDefaults(
  own: Promise<UserSymbol[]>,
  defaults: () => Promise<DefaultSymbol[]>,
): Promise<{ own: UserSymbol[]; defaults: null } | { own: null; defaults: DefaultSymbol[] }> {
  const rows = await own;
  return rows.length > 0 ? { own: rows, defaults: null } : { own: null, defaults: await defaults() };
}

async function lockUserOrThrow(trx: Transaction<Database>, userId: string): Promise<void> {
  if (!(await lockUser(trx, userId)))
    throw new PreferenceError("not_found", "There is no user with this id.", { userId: "Unknown user." });
}

async function preferenceOf(db: Db, userId: string, symbolId: string): Promise<UserSymbolPreference | undefined> {
  const row = await db
    .selectFrom("user_dashboard_preferences as udp")
    .innerJoin("symbols as s", "s.id", "udp.symbol_id")
    .select([
      "udp.symbol_id",
      "s.ticker",
      "s.display",
      "udp.display_order",
      "udp.is_pinned",
      "udp.is_visible",
      "udp.created_at",
      "udp.updated_at",
    ])
    .where("udp.user_id", "=", userId)
    .where("udp.symbol_id", "=", symbolId)
    .executeTakeFirst();
  return (
    row && {
      symbolId: row.symbol_id,
      ticker: row.ticker,
      display: row.display,
      displayOrder: row.display_order,
      isPinned: row.is_pinned,
      isVisible: row.is_visible,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }
  );
}

const notOnList = () =>
  new PreferenceError("not_found", "This symbol is not on the user's list.", { symbolId: "Not on this user's list." });

/** Adds a symbol to the user's list: unknown or inactive symbol → invalid, already there → conflict. */
export async function addUserSymbol(db: Db, userId: string, input: NewPreferenceInput): Promise<UserSymbolPreference> {
  return inTransaction(db, async (trx) => {
    await lockUserOrThrow(trx, userId);
    const symbol = await trx
      .selectFrom("symbols")
      .select(["id", "is_active"])
      .where("id", "=", input.symbolId)
      .executeTakeFirst();
    if (!symbol)
      throw new PreferenceError("invalid", "There is no symbol with this id.", { symbolId: "Unknown symbol." });
    if (!symbol.is_active) {
      throw new PreferenceError("invalid", "This symbol is inactive (deprecated) and cannot be added.", {
        symbolId: "Inactive symbol.",
      });
    }
    if (await preferenceOf(trx, userId, input.symbolId)) {
      throw new PreferenceError("conflict", "This symbol is already on the user's list.", {
        symbolId: "Already on the list.",
      });
    }
    const { next } = await trx
      .selectFrom("user_dashboard_preferences")
      .select((eb) => eb(eb.fn.coalesce(eb.fn.max("display_order"), eb.lit(0)), "+", 1).as("next"))
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("user_dashboard_preferences")
      .values({
        user_id: userId,
        symbol_id: input.symbolId,
        display_order: input.displayOrder ?? Number(next),
        is_pinned: input.isPinned ?? false,
        is_visible: input.isVisible ?? true,
      })
      .execute();
    return (await preferenceOf(trx, userId, input.symbolId))!;
  });
}

/** Changes the order, pin or visibility of one symbol on the user's list. */
export async function updateUserSymbol(
  db: Db,
  userId: string,
  symbolId: string,
  change: PreferenceChange,
): Promise<UserSymbolPreference> {
  if (change.displayOrder === undefined && change.isPinned === undefined && change.isVisible === undefined) {
    throw new PreferenceError("invalid", "Nothing to change: give displayOrder, isPinned or isVisible.");
  }
  return inTransaction(db, async (trx) => {
    await lockUserOrThrow(trx, userId);
    const updated = await trx
      .updateTable("user_dashboard_preferences")
      .set({
        ...(change.displayOrder !== undefined ? { display_order: change.displayOrder } : {}),
        ...(change.isPinned !== undefined ? { is_pinned: change.isPinned } : {}),
        ...(change.isVisible !== undefined ? { is_visible: change.isVisible } : {}),
        updated_at: new Date(),
      })
      .where("user_id", "=", userId)
      .where("symbol_id", "=", symbolId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw notOnList();
    return (await preferenceOf(trx, userId, symbolId))!;
  });
}

/** Removes a symbol from the user's list; absent → not_found. */
export async function removeUserSymbol(db: Db, userId: string, symbolId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await lockUserOrThrow(trx, userId);
    const deleted = await trx
      .deleteFrom("user_dashboard_preferences")
      .where("user_id", "=", userId)
      .where("symbol_id", "=", symbolId)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notOnList();
  });
}

/**
 * Puts the user's whole list in the given order in one transaction. `symbolIds` must name exactly
 * the symbols the user's list shows (what GET returns as "preferences"), each once; hidden
 * preferences and those of deactivated symbols keep their relative order after them.
 */
export async function reorderUserSymbols(db: Db, userId: string, symbolIds: readonly string[]): Promise<Dashboard> {
  return inTransaction(db, async (trx) => {
    await lockUserOrThrow(trx, userId);
    const { value: list } = await readThroughRollback(
      trx,
      (db) => listUserSymbols(db, userId),
      (db) => listUserSymbolsWithout20250108(db, userId),
    );
    const shown = list.map((row) => row.id);
    const shownSet = new Set(shown);
    const seen = new Set<string>();
    const repeated = symbolIds.filter((id) => seen.size === seen.add(id).size);
    const unknown = symbolIds.filter((id) => !shownSet.has(id));
    const missing = shown.filter((id) => !seen.has(id));
    const problems = [
      repeated.length > 0 ? `listed more than once: ${[...new Set(repeated)].join(", ")}` : null,
      unknown.length > 0 ? `not on the user's list: ${unknown.join(", ")}` : null,
      missing.length > 0 ? `missing from the new order: ${missing.join(", ")}` : null,
    ].filter((p): p is string => p !== null);
    if (problems.length > 0) {
      throw new PreferenceError("invalid", "Give every symbol of the user's list exactly once, in the new order.", {
        symbolIds: `${problems.join("; ")}.`,
      });
    }
    const rest = await trx
      .selectFrom("user_dashboard_preferences")
      .select("symbol_id")
      .where("user_id", "=", userId)
      .$if(shown.length > 0, (qb) => qb.where("symbol_id", "not in", shown))
      .orderBy("display_order")
      .orderBy("symbol_id")
      .execute();
    const order = [...symbolIds, ...rest.map((r) => r.symbol_id)];
    const now = new Date();
    for (const [index, symbolId] of order.entries()) {
      await trx
        .updateTable("user_dashboard_preferences")
        .set({ display_order: index + 1, updated_at: now })
        .where("user_id", "=", userId)
        .where("symbol_id", "=", symbolId)
        .execute();
    }
    return dashboardFor(trx, userId);
  });
}
