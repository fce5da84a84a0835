// What applying or rolling back each migration changes, in words, for the confirmation an admin
// reads before acting on the migrations panel. A migration not described here gets a plain
// sentence naming it, so a new migration never shows a wrong description.

export interface MigrationEffects {
  summary: string;
  up: string[];
  down: string[];
}

const EFFECTS: Record<string, MigrationEffects> = {
  "20250101_baseline_mytrader": {
    summary: "myTrader's tables as they were before 2025-01-08.",
    up: [
      "Creates the catalogue tables: asset classes, markets, data providers, symbols, " +
        "" +
        "users and their dashboard preferences.",
    ],
    down: ["Drops every catalogue table and all of its rows. Nothing is saved."],
  },
  "20250102_symbol_desk_console": {
    summary: "Staff accounts, sessions, the audit log and a version counter on symbols.",
    up: ["Creates staff_users, staff_sessions and symbol_audit; adds symbols.version."],
    down: ["Drops the staff accounts (everyone is signed out), the audit log and symbols.version. Nothing is saved."],
  },
  "20250103_api_tokens": {
    summary: "The symbol API's bearer tokens and the indexes of symbol search.",
    up: ["Creates api_tokens (hashes only) and the trigram and prefix search indexes, CONCURRENTLY."],
    down: ["Drops every API token (API clients must get new ones) and the search indexes."],
  },
  "20250104_quality_history": {
    summary: "History of check runs, query measurements and migration rehearsals.",
    up: ["Creates check_runs, check_results, query_measurements and migration_rehearsals."],
    down: ["Drops that history: the quality and performance trends start again from empty."],
  },
  "20250106_staff_management": {
    summary: "Staff management: disabled accounts, invitation and reset links, the staff audit, session browsers.",
    up: [
      "Adds disabled_at, password_set_at and created_by to staff_users and user_agent to staff_sessions; " +
        "creates staff_password_links (hashes only) and staff_audit.",
      "If an earlier rollback saved them, the columns' values and both tables' rows come back.",
    ],
    down: [
      "Saves those columns and rows in staff_management_saved, then drops them: " +
        "pending links stop working and /staff is unavailable until it is re-applied.",
      "Disabled accounts stay unable to sign in while it is rolled back.",
    ],
  },
  "20250108_data_driven_symbols": {
    summary: "The seed's migration: broadcast priority, last broadcast, data provider and default flag on symbols.",
    up: [
      "Adds the four columns to symbols, six indexes (built CONCURRENTLY), three constraints (NOT VALID, " +
        "then validated), three triggers and v_symbol_data_quality.",
      "If an earlier rollback saved values, they are restored exactly, then the saved copy is dropped.",
    ],
    down: [
      "Saves every symbol's broadcast_priority, last_broadcast_at, " +
        "data_provider_id and is_default_symbol in symbols_20250108_backup.",
      "Then drops the view, triggers, six indexes and the four columns: " +
        "pages and APIs that need them stop working until it is re-applied.",
      "Re-applying brings every saved value back.",
    ],
  },
  "20250109_console_indexes": {
    summary: "Indexes behind the /symbols console's sorts and filters.",
    up: ["Builds the console's sort and filter indexes on symbols and symbol_audit, CONCURRENTLY. No data changes."],
    down: ["Drops those indexes. No data changes; the /symbols table gets slower on a large catalogue."],
  },
  "20250110_announce_default_changes": {
    summary: "Triggers that announce every change to a default symbol, so the app can cache the defaults.",
    up: ["Creates four triggers on symbols that NOTIFY when a default symbol's row changes. No data changes."],
    down: ["Drops those triggers. No data changes; /api/symbols/defaults reads the database on every request."],
  },
  "20250111_covering_user_order_index": {
    summary: "The user query's index carries what the query reads, so it is an index-only scan.",
    up: [
      "Builds the covering ix_udp_user_visible_order beside the old one (CONCURRENTLY), " +
        "drops the old one and gives the new one its name. No data changes.",
    ],
    down: [
      "Puts back the 20250108 definition the same way. No data changes; the user query reads preference rows again.",
    ],
  },
};

export function migrationEffects(name: string): MigrationEffects {
  return (
    EFFECTS[name] ?? {
      summary: `Migration ${name}.`,
      up: [`Runs the up step of ${name} (see db/migrations/${name}.ts).`],
      down: [`Runs the down step of ${name} (see db/migrations/${name}.ts); index-only migrations change no data.`],
    }
  );
}
