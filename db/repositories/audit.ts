import { type SqlBool, sql } from "kysely";
import { editSymbol, getSymbolState } from "./symbols-edit.js";
import { type Db, inTransaction } from "./transaction.js";
import { SymbolNotFoundError } from "./symbols-errors.js";
import { auditText, isEditableField, parseAuditText } from "./symbols-fields.js";

// The audit log of symbol edits: the /audit page (filtered, newest first, keyset-paginated),
// a symbol's history, and undo of one entry while it is still the symbol's current value.

export interface AuditFilters {
  staffId?: string;
  /** A ticker (exact, case-insensitive): every market's symbol of that ticker. */
  ticker?: string;
  symbolId?: string;
  field?: string;
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
}

function auditQuery(db: Db) {
  return db
    .selectFrom("symbol_audit as a")
    .leftJoin("staff_users as u", "u.id", "a.staff_id")
    .leftJoin("symbols as s", "s.id", "a.symbol_id")
    .select([
      "a.id",
      "a.created_at",
      "a.action",
      "a.field",
      "a.before_value",
      "a.after_value",
      "a.symbol_id",
      "u.display_name as staff_name",
      "u.email as staff_email",
      "s.ticker",
    ]);
}

export type AuditEntry = Awaited<ReturnType<ReturnType<typeof auditQuery>["execute"]>>[number];

export async function listAuditEntries(
  db: Db,
  filters: AuditFilters,
  page: { after?: { at: string; id: string } | null; limit: number },
): Promise<{ entries: AuditEntry[]; next: { at: string; id: string } | null }> {
  let query = auditQuery(db);
  if (filters.staffId) query = query.where("a.staff_id", "=", filters.staffId);
  if (filters.symbolId) query = query.where("a.symbol_id", "=", filters.symbolId);
  if (filters.ticker) query = query.where(sql<string>`lower(s.ticker)`, "=", filters.ticker.toLowerCase());
  if (filters.field) query = query.where("a.field", "=", filters.field);
  if (filters.from) query = query.where("a.created_at", ">=", filters.from);
  if (filters.to) query = query.where("a.created_at", "<", filters.to);
  if (page.after) {
    query = query.where(
      sql<SqlBool>`(a.created_at, a.id) < (cast(${page.after.at} as timestamptz), cast(${page.after.id} as uuid))`,
    );
  }
  const rows = await query
    .select(sql<string>`cast(a.created_at as text)`.as("at_text"))
    .orderBy("a.created_at", "desc")
    .orderBy("a.id", "desc")
    .limit(page.limit + 1)
    .execute();
  const entries = rows.slice(0, page.limit);
  const last = rows.length > page.limit ? entries.at(-1) : undefined;
  return {
    entries: entries.map(({ at_text: _t, ...entry }) => entry),
    next: last ? { at: last.at_text, id: last.id } : null,
  };
}

export const listSymbolHistory = (db: Db, symbolId: string, limit = 100) =>
  auditQuery(db)
    .where("a.symbol_id", "=", symbolId)
    .orderBy("a.created_at", "desc")
    .orderBy("a.id", "desc")
    .limit(limit)
    .execute();

/** The entry cannot be undone (anymore); the message says why. */
export class UndoRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UndoRefusedError";
  }
}

/**
 * Puts the entry's before-value back, as a new audited edit, only while the symbol still holds
 * the entry's after-value (otherwise a later change would be silently overwritten).
 */
export function undoAuditEntry(db: Db, input: { staffId: string; auditId: string }) {
  return inTransaction(db, async (trx) => {
    const entry = await trx.selectFrom("symbol_audit").selectAll().where("id", "=", input.auditId).executeTakeFirst();
    if (!entry) throw new UndoRefusedError("That audit entry does not exist.");
    if (!isEditableField(entry.field))
      throw new UndoRefusedError("Only priority, default, active, tracked and provider changes can be undone here.");
    if (!entry.symbol_id) throw new UndoRefusedError("The symbol of that entry no longer exists.");
    const current = await getSymbolState(trx, entry.symbol_id, true);
    if (!current) throw new SymbolNotFoundError(entry.symbol_id);
    // Only the latest change of a field is undone: undoing an older one would skip the later
    // changes (and after an undo, the undo itself is the latest).
    const latest = await trx
      .selectFrom("symbol_audit")
      .select("id")
      .where("symbol_id", "=", entry.symbol_id)
      .where("field", "=", entry.field)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    if (latest.id !== entry.id) {
      throw new UndoRefusedError(
        `Cannot undo: ${current.ticker}'s ${entry.field} was changed again later; ` +
          `only the latest change can be undone.`,
      );
    }
    const now = auditText(current[entry.field]);
    if (now !== entry.after_value) {
      throw new UndoRefusedError(
        `Cannot undo: ${current.ticker}'s ${entry.field} is now ${now ?? "empty"}, ` +
          `not ${entry.after_value ?? "empty"} as this entry left it.`,
      );
    }
    return editSymbol(trx, {
      staffId: input.staffId,
      symbolId: current.id,
      version: current.version,
      action: "undo",
      changes: { [entry.field]: parseAuditText(entry.field, entry.before_value) },
    });
  });
}
