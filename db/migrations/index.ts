import type { Migration, MigrationProvider } from "kysely/migration";
import * as baseline from "./20250101_baseline_mytrader.js";
import * as symbolDeskConsole from "./20250102_symbol_desk_console.js";
import * as apiTokens from "./20250103_api_tokens.js";
import * as qualityHistory from "./20250104_quality_history.js";
import * as securityStore from "./20250105_security_store.js";
import * as staffManagement from "./20250106_staff_management.js";
import * as broadcasterControl from "./20250107_broadcaster_control.js";
import * as dataDrivenSymbols from "./20250108_data_driven_symbols.js";
import * as consoleIndexes from "./20250109_console_indexes.js";
import * as announceDefaultChanges from "./20250110_announce_default_changes.js";
import * as coveringUserOrderIndex from "./20250111_covering_user_order_index.js";
import * as changeVersion from "./20250112_change_version.js";
import * as sharedResults from "./20250112_shared_results.js";
import * as broadcastStampIndexes from "./20250115_broadcast_stamp_indexes.js";
import * as usersNaturalOrder from "./20250116_users_natural_order.js";
import * as announceTokenChanges from "./20250117_announce_token_changes.js";
import * as marketProviderCounts from "./20250118_market_provider_counts.js";
import * as symbolsIdHash from "./20250119_symbols_id_hash.js";
import { withStepTimeouts } from "./step-timeouts.js";

/**
 * The migrations, in order. Listed by hand rather than read from the folder so the server
 * bundle carries them and no file-system scan decides what runs.
 */
export const MIGRATIONS: Record<string, Migration> = {
  "20250101_baseline_mytrader": baseline,
  "20250102_symbol_desk_console": symbolDeskConsole,
  "20250103_api_tokens": apiTokens,
  "20250104_quality_history": qualityHistory,
  "20250105_security_store": securityStore,
  "20250106_staff_management": staffManagement,
  "20250107_broadcaster_control": broadcasterControl,
  "20250108_data_driven_symbols": dataDrivenSymbols,
  "20250109_console_indexes": consoleIndexes,
  "20250110_announce_default_changes": announceDefaultChanges,
  "20250111_covering_user_order_index": coveringUserOrderIndex,
  "20250112_change_version": changeVersion,
  "20250112_shared_results": sharedResults,
  "20250115_broadcast_stamp_indexes": broadcastStampIndexes,
  "20250116_users_natural_order": usersNaturalOrder,
  "20250117_announce_token_changes": announceTokenChanges,
  "20250118_market_provider_counts": marketProviderCounts,
  "20250119_symbols_id_hash": symbolsIdHash,
};

/**
 * The migrations as they run: each step under its statement and lock timeouts (step-timeouts.ts).
 * Wrapped at each call, so a migration registered after start-up (the tests add one) runs too.
 */
export const boundedMigrations = (): Record<string, Migration> =>
  Object.fromEntries(Object.entries(MIGRATIONS).map(([name, migration]) => [name, withStepTimeouts(name, migration)]));

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => boundedMigrations(),
};
