import type { Kysely } from "kysely";
import type { EngineFeatures } from "../client.js";
import type { Database } from "../schema.js";

export type CheckSeverity = "error" | "warn";

/** warn = a warn-severity check found rows; error = the check itself crashed. */
export type CheckStatus = "pass" | "warn" | "fail" | "error";

export type CheckCategory = "defaults" | "integrity" | "providers" | "preferences" | "schema" | "performance";

export type OffendingRow = Record<string, unknown>;

export interface CheckContext {
  db: Kysely<Database>;
  features: EngineFeatures;
  engineLabel: string;
  /**
   * Set by the runner for the check being run: a one-line explanation shown with the result, for
   * figures worth seeing even on a pass (a measured time) or a verdict the data cannot support
   * (too little traffic to judge). Optional so a `DbConnection` is a valid context as it is.
   */
  note?: (message: string) => void;
}

export interface Check {
  /** Stable, e.g. "defaults.count": the CLI, the tests and the pages refer to checks by it. */
  id: string;
  title: string;
  category: CheckCategory;
  severity: CheckSeverity;
  fixHint: string;
  /**
   * Returns the offending rows (empty = pass). Most checks are one SQL query; a row about a
   * symbol carries a `symbol_id` column so the UI can link to it.
   */
  offendingRows(ctx: CheckContext): Promise<OffendingRow[]>;
}

export interface CheckResult {
  id: string;
  title: string;
  category: CheckCategory;
  severity: CheckSeverity;
  fixHint: string;
  status: CheckStatus;
  offendingCount: number;
  /** The first offending rows, at most SAMPLE_SIZE. */
  sample: OffendingRow[];
  message: string | null;
  durationMs: number;
}

export interface CheckReport {
  startedAt: Date;
  durationMs: number;
  engineLabel: string;
  results: CheckResult[];
  counts: Record<CheckStatus, number>;
  /** No error-severity check failed or errored. */
  passed: boolean;
}
