import { sql } from "kysely";
import { type Db, inTransaction } from "./transaction.js";

// A user's dashboard preferences as support staff see and fix them (/users/:id/preview):
// reorder, pin and hide, saved in one transaction and audited per changed field. Preferences
// carry no version column, so the list's newest updated_at and its size act as one: if either
// moved since the page loaded, the save is refused.

/** Every preference of the user, hidden ones included, pinned first then in the user's order. */
export function listPreferencesForEditing(db: Db, userId: string) {
  return db
    .selectFrom("user_dashboard_preferences as p")
    .innerJoin("symbols as s", "s.id", "p.symbol_id")
    .select([
      "p.id",
      "p.symbol_id",
      "p.display_order",
      "p.is_pinned",
      "p.is_visible",
      "p.updated_at",
      "s.ticker",
      "s.display",
      "s.is_active",
    ])
    .where("p.user_id", "=", userId)
    .orderBy("p.is_pinned", "desc")
    .orderBy("p.display_order")
    .orderBy("p.id")
    .execute();
}

export type EditablePreference = Awaited<ReturnType<typeof listPreferencesForEditing>>[number];

export function preferencesStamp(rows: ReadonlyArray<{ updated_at: Date | string }>): string {
  const newest = rows.reduce((max, r) => Math.max(max, new Date(r.updated_at).getTime()), 0);
  return `${rows.length}:${newest}`;
}

export class PreferencesChangedError extends Error {
  constructor() {
    super("This user's preferences changed since you loaded them; nothing was saved. The current list is shown.");
    this.name = "PreferencesChangedError";
  }
}

export interface PreferenceEdit {
  id: string;
  isPinned: boolean;
  isVisible: boolean;
}

/** Saves the whole list in its new order (display_order 1..n), with pin and visibility. */
export function savePreferences(
  db: Db,
  input: { staffId: string; userId: string; stamp: string; items: ReadonlyArray<PreferenceEdit> },
) {
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom("user_dashboard_preferences")
      .select(["id", "symbol_id", "display_order", "is_pinned", "is_visible", "updated_at"])
      .where("user_id", "=", input.userId)
      .forUpdate()
      .execute();
    const byId = new Map(current.map((p) => [p.id, p]));
    const complete =
      input.items.length === current.length &&
      input.items.every((i) => byId.has(i.id)) &&
      new Set(input.items.map((i) => i.id)).size === input.items.length;
    if (!complete || preferencesStamp(current) !== input.stamp) throw new PreferencesChangedError();
    let changed = 0;
    for (const [index, item] of input.items.entries()) {
      const before = byId.get(item.id)!;
      const after = { display_order: index + 1, is_pinned: item.isPinned, is_visible: item.isVisible };
      const fields = (["display_order", "is_pinned", "is_visible"] as const).filter((f) => before[f] !== after[f]);
      if (fields.length === 0) continue;
      await trx
        .updateTable("user_dashboard_preferences")
        .set({ ...after, updated_at: sql`now()` })
        .where("id", "=", item.id)
        .execute();
      await trx
        .insertInto("symbol_audit")
        .values(
          fields.map((field) => ({
            staff_id: input.staffId,
            symbol_id: before.symbol_id,
            action: `preference:${input.userId}`,
            field: `preference.${field}`,
            before_value: String(before[field]),
            after_value: String(after[field]),
          })),
        )
        .execute();
      changed++;
    }
    return { changed };
  });
}
