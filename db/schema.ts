import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type {
  BroadcasterControlEventTable,
  BroadcasterControlTable,
  BroadcasterInstanceTable,
} from "./tables/broadcaster.js";

/** A timestamp column the database fills in on insert. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** PostgreSQL `numeric` arrives as a string so no precision is lost. */
type Numeric = ColumnType<string, string | number, string | number>;

export interface AssetClassTable {
  id: Generated<string>;
  code: string;
  name: string;
  created_at: CreatedAt;
}

export interface DataProviderTable {
  id: Generated<string>;
  code: string;
  name: string;
  market_id: string;
  provider_type: string;
  /** Live state of the feed, as last reported by the ingest service. */
  connection_status: Generated<string>;
  is_primary: Generated<boolean>;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface MarketTable {
  id: Generated<string>;
  code: string;
  name: string;
  asset_class_id: string;
  websocket_url: string | null;
  timezone: string;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface SymbolTable {
  id: Generated<string>;
  ticker: string;
  display: string;
  full_name: string | null;
  asset_class_id: string;
  market_id: string;
  current_price: Numeric | null;
  price_change_24h: Numeric | null;
  is_active: Generated<boolean>;
  is_tracked: Generated<boolean>;
  display_order: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  /** Optimistic-concurrency counter: every write checks and bumps it. */
  version: Generated<number>;
  // Added by 20250108_data_driven_symbols.
  broadcast_priority: Generated<number>;
  last_broadcast_at: Timestamp | null;
  data_provider_id: string | null;
  is_default_symbol: Generated<boolean>;
}

export interface UserTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  created_at: CreatedAt;
}

export interface UserDashboardPreferenceTable {
  id: Generated<string>;
  user_id: string;
  symbol_id: string;
  display_order: Generated<number>;
  is_pinned: Generated<boolean>;
  is_visible: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type StaffRole = "viewer" | "operator" | "admin";

export interface StaffUserTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  role: StaffRole;
  password_hash: string;
  created_at: CreatedAt;
  last_sign_in_at: Timestamp | null;
  // Added by 20250106_staff_management.
  /** Set while the account is disabled: it cannot sign in and has no sessions. */
  disabled_at: Timestamp | null;
  /** Null while an invitation is unanswered: the account has no usable password yet. */
  password_set_at: Timestamp | null;
  created_by: string | null;
}

export interface StaffSessionTable {
  /** The sha256 (hex) of the id in the browser's cookie, never the id itself. */
  id: string;
  staff_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  last_seen_at: Timestamp | null;
  id_hashed: boolean | null;
  user_agent: string | null;
}

export interface SymbolAuditTable {
  id: Generated<string>;
  staff_id: string | null;
  symbol_id: string | null;
  action: string;
  field: string;
  before_value: string | null;
  after_value: string | null;
  created_at: CreatedAt;
}

/** A bearer token of the symbol API: only the sha256 of the secret is kept. */
export interface ApiTokenTable {
  id: Generated<string>;
  user_id: string;
  label: string;
  token_hash: string;
  /** The first characters of the secret, so staff can tell tokens apart. */
  token_prefix: string;
  created_by_staff_id: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  expires_at: Timestamp | null;
}

export interface MigrationRunTable {
  id: Generated<string>;
  migration: string;
  direction: "up" | "down";
  actor: string;
  started_at: CreatedAt;
  finished_at: Timestamp | null;
  duration_ms: number | null;
  outcome: Generated<"running" | "succeeded" | "failed">;
  error: string | null;
}

// History of the quality, performance and migrations panels (20250104_quality_history).
/** jsonb: node-postgres and PGlite both hand it back parsed. */
type Json = ColumnType<unknown, string, string>;

export interface CheckRunTable {
  id: Generated<string>;
  started_at: Timestamp;
  duration_ms: number;
  engine_label: string;
  trigger: "manual" | "schedule" | "cli";
  actor: string;
  passed: boolean;
  pass_count: number;
  warn_count: number;
  fail_count: number;
  error_count: number;
}

export interface CheckResultTable {
  run_id: string;
  check_id: string;
  started_at: Timestamp;
  title: string;
  category: string;
  severity: "error" | "warn";
  status: "pass" | "warn" | "fail" | "error";
  offending_count: number;
  sample: Json;
  message: string | null;
  fix_hint: string;
  duration_ms: number;
}

export interface QueryMeasurementTable {
  id: Generated<string>;
  query_id: string;
  measured_at: CreatedAt;
  engine_label: string;
  actor: string;
  runs: number;
  execution_median_ms: number;
  execution_p95_ms: number;
  planning_median_ms: number;
  planning_p95_ms: number;
  target_ms: number;
  samples: Json;
  parameters: Json;
  plan: Json;
  schema_version: string | null;
  note: string | null;
}

export interface MigrationRehearsalTable {
  id: Generated<string>;
  migration: string;
  started_at: CreatedAt;
  actor: string;
  engine_label: string;
  method: string;
  up_ms: number | null;
  down_ms: number | null;
  reapply_ms: number | null;
  checksum_equal: boolean | null;
  passed: boolean;
  steps: Json;
  note: string | null;
}

// Security (20250105_security_store).
export interface SignInThrottleTable {
  key: string;
  failures: number;
  last_failure_at: Timestamp;
  blocked_until: Timestamp | null;
}

export interface ApiRateWindowTable {
  token_id: string;
  window_start: Timestamp;
  requests: number;
}

export type SecurityEventKind = "sign_in" | "sign_in_failed" | "sign_in_throttled" | "setup";

export interface SecurityEventTable {
  id: Generated<string>;
  kind: SecurityEventKind;
  staff_id: string | null;
  email: string | null;
  client_address: string | null;
  created_at: CreatedAt;
}

export interface SetupCodeTable {
  code_hash: string;
  created_at: CreatedAt;
}

// Staff management (20250106_staff_management).
export type StaffLinkPurpose = "invite" | "reset";

/** A one-time invitation or password-reset link: only the sha256 of its secret is kept. */
export interface StaffPasswordLinkTable {
  id: Generated<string>;
  staff_id: string;
  purpose: StaffLinkPurpose;
  token_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface StaffAuditTable {
  id: Generated<string>;
  /** Who made the change (null once that account is deleted). */
  actor_id: string | null;
  staff_id: string | null;
  /** The changed account's email at the time, kept when the account is deleted. */
  staff_email: string;
  action: string;
  before_value: string | null;
  after_value: string | null;
  created_at: CreatedAt;
}

export interface Database {
  asset_classes: AssetClassTable;
  data_providers: DataProviderTable;
  markets: MarketTable;
  symbols: SymbolTable;
  users: UserTable;
  user_dashboard_preferences: UserDashboardPreferenceTable;
  staff_users: StaffUserTable;
  staff_sessions: StaffSessionTable;
  symbol_audit: SymbolAuditTable;
  migration_runs: MigrationRunTable;
  api_tokens: ApiTokenTable;
  check_runs: CheckRunTable;
  check_results: CheckResultTable;
  query_measurements: QueryMeasurementTable;
  migration_rehearsals: MigrationRehearsalTable;
  broadcaster_control: BroadcasterControlTable;
  broadcaster_control_events: BroadcasterControlEventTable;
  broadcaster_instances: BroadcasterInstanceTable;
  sign_in_throttle: SignInThrottleTable;
  api_rate_windows: ApiRateWindowTable;
  security_events: SecurityEventTable;
  setup_codes: SetupCodeTable;
  staff_password_links: StaffPasswordLinkTable;
  staff_audit: StaffAuditTable;
}

export type NewSymbol = Insertable<SymbolTable>;
export type StaffUser = Selectable<StaffUserTable>;
export type MigrationRun = Selectable<MigrationRunTable>;
