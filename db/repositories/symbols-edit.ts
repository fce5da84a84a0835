import { sql } from "kysely";
import { type LastChange, SymbolNotFoundError, SymbolRuleError, SymbolVersionConflictError } from "./symbols-errors.js";
import {
  auditText,
  EDITABLE_FIELDS,
  type EditableField,
  PRIORITY_MAX,
  PRIORITY_MIN,
  type SymbolChanges,
  type SymbolState,
} from "./symbols-fields.js";
import { type Db, inTransaction } from "./transaction.js";

// One symbol edit = one transaction: read the row (locked), judge the change against the rules,
// `UPDATE … WHERE id AND version` bumping the version, and one audit row per changed field.
// The same rules are also database constraints (ck_symbols_default_is_active,
// ck_symbols_broadcast_priority_range, the provider foreign key); checking here first gives
// people a message beside the field instead of a constraint name.

const STATE_COLUMNS = [
  "id",
  "ticker",
  "market_id",
  "version",
  "display_order",
  "broadcast_priority",
  "is_default_symbol",
  "is_active",
  "is_tracked",
  "data_provider_id",
] as const;

export async function getSymbolState(db: Db, symbolId: string, lock = false): Promise<SymbolState | null> {
  let query = db.selectFrom("symbols").select(STATE_COLUMNS).where("id", "=", symbolId);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

export async function lastChangeOf(db: Db, symbolId: string): Promise<LastChange | null> {
  const row = await db
    .selectFrom("symbol_audit as a")
    .leftJoin("staff_users as u", "u.id", "a.staff_id")
    .select(["u.display_name as by", "a.created_at as at", "a.field"])
    .where("a.symbol_id", "=", symbolId)
    .orderBy("a.created_at", "desc")
    .orderBy("a.id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/** The conflict to throw for `symbolId`, read outside the failed write so it shows the truth. */
export async function conflictFor(db: Db, symbolId: string): Promise<SymbolVersionConflictError | SymbolNotFoundError> {
  const current = await getSymbolState(db, symbolId);
  if (!current) return new SymbolNotFoundError(symbolId);
  return new SymbolVersionConflictError(current, await lastChangeOf(db, symbolId));
}

async function checkProvider(db: Db, providerId: string, symbol: SymbolState): Promise<void> {
  const provider = await db
    .selectFrom("data_providers as dp")
    .innerJoin("markets as m", "m.id", "dp.market_id")
    .select(["dp.market_id", "dp.code", "dp.is_active", "m.code as market_code"])
    .where("dp.id", "=", providerId)
    .executeTakeFirst();
  if (!provider) throw new SymbolRuleError("data_provider_id", "That data provider does not exist.");
  if (provider.market_id !== symbol.market_id) {
    throw new SymbolRuleError(
      "data_provider_id",
      `${provider.code} serves ${provider.market_code}, not ${symbol.ticker}'s market: pick a provider of its market.`,
    );
  }
  if (!provider.is_active)
    throw new SymbolRuleError("data_provider_id", `${provider.code} is switched off and cannot serve symbols.`);
}

/** The state after `changes`, with the rules applied; throws SymbolRuleError when refused. */
async function judge(db: Db, current: SymbolState, changes: SymbolChanges): Promise<SymbolState> {
  const next: SymbolState = { ...current };
  if (changes.broadcast_priority !== undefined) {
    const p = changes.broadcast_priority;
    if (!Number.isInteger(p) || p < PRIORITY_MIN || p > PRIORITY_MAX) {
      throw new SymbolRuleError(
        "broadcast_priority",
        `The priority must be a whole number from ${PRIORITY_MIN} to ${PRIORITY_MAX}.`,
      );
    }
    next.broadcast_priority = p;
  }
  if (changes.is_tracked !== undefined) next.is_tracked = changes.is_tracked;
  if (changes.is_active !== undefined) next.is_active = changes.is_active;
  if (changes.is_default_symbol !== undefined) next.is_default_symbol = changes.is_default_symbol;
  // Deprecating a default takes it out of the defaults in the same write (the trigger
  // trg_symbols_clear_default_when_deactivated does the same for writes from elsewhere).
  if (current.is_active && !next.is_active) next.is_default_symbol = false;
  if (next.is_default_symbol && !next.is_active) {
    throw new SymbolRuleError(
      "is_default_symbol",
      `${current.ticker} is deprecated: only an active symbol can be a default. Reactivate it first.`,
    );
  }
  if (changes.data_provider_id !== undefined) {
    if (changes.data_provider_id !== null && changes.data_provider_id !== current.data_provider_id) {
      await checkProvider(db, changes.data_provider_id, current);
    }
    next.data_provider_id = changes.data_provider_id;
  }
  if (next.is_default_symbol && !current.is_default_symbol) {
    // A default taken off keeps its display_order, so one put back returns to its old place; a
    // symbol that never was a default goes to the end.
    if (!(await wasDefaultBefore(db, current.id))) {
      const { rows } = await sql<{ last: number | null }>`
        select max(display_order) as last from symbols where is_default_symbol and is_active`.execute(db);
      next.display_order = (rows[0]?.last ?? 0) + 1;
    }
  }
  return next;
}

async function wasDefaultBefore(db: Db, symbolId: string): Promise<boolean> {
  const row = await db
    .selectFrom("symbol_audit")
    .select("id")
    .where("symbol_id", "=", symbolId)
    .where("field", "=", "is_default_symbol")
    .where("after_value", "=", "false")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A default put back at `position` while another default holds that number: it and every later
 * default move down one, so the returning symbol sits exactly where it was (audited as a reorder).
 */
async function makeRoomForDefault(trx: Db, input: { staffId: string; symbolId: string; position: number }) {
  const taken = await trx
    .selectFrom("symbols")
    .select("id")
    .where("is_default_symbol", "=", true)
    .where("is_active", "=", true)
    .where("display_order", "=", input.position)
    .where("id", "!=", input.symbolId)
    .limit(1)
    .executeTakeFirst();
  if (!taken) return;
  const moved = await trx
    .updateTable("symbols")
    .set({ display_order: sql`display_order + 1`, version: sql`version + 1` })
    .where("is_default_symbol", "=", true)
    .where("is_active", "=", true)
    .where("display_order", ">=", input.position)
    .where("id", "!=", input.symbolId)
    .returning(["id", "display_order"])
    .execute();
  await trx
    .insertInto("symbol_audit")
    .values(
      moved.map((row) => ({
        staff_id: input.staffId,
        symbol_id: row.id,
        action: "reorder_defaults",
        field: "display_order",
        before_value: String(row.display_order - 1),
        after_value: String(row.display_order),
      })),
    )
    .execute();
}

export interface EditInput {
  staffId: string;
  symbolId: string;
  /** The version the editor saw; a different current version is a conflict. */
  version: number;
  changes: SymbolChanges;
  /** What the audit log calls this write ("edit", "bulk", "undo"…). */
  action?: string;
}

export interface EditResult {
  symbol: SymbolState;
  changedFields: EditableField[];
}

export function editSymbol(db: Db, input: EditInput): Promise<EditResult> {
  return inTransaction(db, async (trx) => {
    const current = await getSymbolState(trx, input.symbolId, true);
    if (!current) throw new SymbolNotFoundError(input.symbolId);
    if (current.version !== input.version) {
      throw new SymbolVersionConflictError(current, await lastChangeOf(trx, input.symbolId));
    }
    const next = await judge(trx, current, input.changes);
    const changedFields = EDITABLE_FIELDS.filter((f) => next[f] !== current[f]);
    if (changedFields.length === 0) return { symbol: current, changedFields };
    if (next.is_default_symbol && !current.is_default_symbol) {
      await makeRoomForDefault(trx, { staffId: input.staffId, symbolId: current.id, position: next.display_order });
    }

    const updated = await trx
      .updateTable("symbols")
      .set({
        broadcast_priority: next.broadcast_priority,
        is_default_symbol: next.is_default_symbol,
        is_active: next.is_active,
        is_tracked: next.is_tracked,
        data_provider_id: next.data_provider_id,
        display_order: next.display_order,
        version: sql`version + 1`,
      })
      .where("id", "=", input.symbolId)
      .where("version", "=", input.version)
      .returning(STATE_COLUMNS)
      .executeTakeFirst();
    if (!updated) throw await conflictFor(trx, input.symbolId);

    await trx
      .insertInto("symbol_audit")
      .values(
        changedFields.map((field) => ({
          staff_id: input.staffId,
          symbol_id: input.symbolId,
          action: input.action ?? "edit",
          field,
          before_value: auditText(current[field]),
          after_value: auditText(next[field]),
        })),
      )
      .execute();
    return { symbol: updated, changedFields };
  });
}

export const MAX_BULK_ROWS = 500;

export interface BulkInput {
  staffId: string;
  items: ReadonlyArray<{ id: string; version: number }>;
  changes: SymbolChanges;
}

/** The same change to many symbols, all or nothing: any refusal or conflict rolls back every row. */
export function bulkEditSymbols(db: Db, input: BulkInput): Promise<{ changed: number }> {
  if (input.items.length === 0) return Promise.resolve({ changed: 0 });
  if (input.items.length > MAX_BULK_ROWS) {
    throw new SymbolRuleError("form", `Select at most ${MAX_BULK_ROWS} symbols for one bulk change.`);
  }
  return inTransaction(db, async (trx) => {
    let changed = 0;
    for (const item of input.items) {
      const result = await editSymbol(trx, {
        staffId: input.staffId,
        symbolId: item.id,
        version: item.version,
        changes: input.changes,
        action: "bulk",
      });
      if (result.changedFields.length > 0) changed++;
    }
    return { changed };
  });
}
