import { sql } from "kysely";
import { sqlCheck } from "./define.js";
import type { Check } from "./types.js";

// Users' dashboards. The orphan checks use NOT EXISTS, not joins, so they keep finding rows when
// a foreign key has been dropped (which is exactly when orphans appear). An orphan's missing id
// is reported as missing_*_id rather than symbol_id, so the UI does not link to a symbol that is
// not there.

export const preferencesChecks: readonly Check[] = [
  sqlCheck({
    id: "preferences.orphaned-symbol",
    title: "No preference points to a missing symbol",
    category: "preferences",
    severity: "error",
    fixHint: "Delete the orphaned preferences, then restore the foreign key on user_dashboard_preferences.symbol_id.",
    query: sql`
      select p.id as preference_id, p.user_id, p.symbol_id as missing_symbol_id
      from user_dashboard_preferences p
      where not exists (select 1 from symbols s where s.id = p.symbol_id)
      order by p.user_id, p.display_order`,
  }),
  sqlCheck({
    id: "preferences.orphaned-user",
    title: "No preference belongs to a missing user",
    category: "preferences",
    severity: "error",
    fixHint: "Delete the orphaned preferences, then restore the foreign key on user_dashboard_preferences.user_id.",
    query: sql`
      select p.id as preference_id, p.user_id as missing_user_id, p.symbol_id
      from user_dashboard_preferences p
      where not exists (select 1 from users u where u.id = p.user_id)
      order by p.user_id, p.display_order`,
  }),
  sqlCheck({
    id: "preferences.inactive-symbol",
    title: "No preference points to an inactive symbol",
    category: "preferences",
    severity: "warn",
    // A warning: the user query hides inactive symbols, so users see nothing wrong, but the rows
    // are dead weight and would reappear if the symbol were reactivated.
    fixHint: "Remove the preferences on retired symbols, or offer users a replacement symbol.",
    query: sql`
      select p.id as preference_id, p.user_id, s.id as symbol_id, s.ticker, p.is_visible
      from user_dashboard_preferences p
      join symbols s on s.id = p.symbol_id
      where not s.is_active
      order by s.ticker, p.user_id`,
  }),
];
