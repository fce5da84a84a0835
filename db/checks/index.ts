// The data-quality checks: what they are, how to run them, how to print a report.
export type {
  Check,
  CheckCategory,
  CheckContext,
  CheckReport,
  CheckResult,
  CheckSeverity,
  CheckStatus,
  OffendingRow,
} from "./types.js";
export { CHECKS, SAMPLE_SIZE, describeCheckError, formatReport, runChecks, type RunOptions } from "./runner.js";
