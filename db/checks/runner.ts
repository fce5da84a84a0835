import { schemaMissing } from "../pg-errors.js";
import { MIGRATION_20250108 } from "./catalogue-objects.js";
import { defaultsChecks } from "./defaults.js";
import { integrityChecks } from "./integrity.js";
import { hitRatioCheck } from "./performance-hit-ratio.js";
import { queryPerformanceChecks } from "./performance-queries.js";
import { preferencesChecks } from "./preferences.js";
import { providersChecks } from "./providers.js";
import { indexChecks } from "./schema-indexes.js";
import { constraintAndViewChecks } from "./schema-objects.js";
import { triggerChecks } from "./schema-triggers.js";
import type { Check, CheckContext, CheckReport, CheckResult, CheckStatus } from "./types.js";

export { formatReport } from "./format.js";

// One runner for the CLI, the tests and the pages. Checks run one after another: the embedded
// engine has one session anyway, and on a server a validation run should not compete with the
// application for connections.

export const CHECKS: readonly Check[] = [
  ...defaultsChecks,
  ...integrityChecks,
  ...providersChecks,
  ...preferencesChecks,
  ...indexChecks,
  ...constraintAndViewChecks,
  ...triggerChecks,
  hitRatioCheck,
  ...queryPerformanceChecks,
];

export const SAMPLE_SIZE = 20;

export interface RunOptions {
  /** Check ids to run. With `categories` too, a check runs when either names it. */
  ids?: string[];
  categories?: string[];
}

// What a check meets when the schema is behind (db/pg-errors.ts): a missing column is almost
// always one of the four that 20250108 adds to symbols; a missing table or function means the
// migrations have not run at all.
export function describeCheckError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const missing = schemaMissing(error);
  if (missing === "column") {
    return `${message} (is migration ${MIGRATION_20250108} applied? Run the migrations, then check again.)`;
  }
  if (missing === "table-or-function") return `${message} (are the migrations applied? Run them, then check again.)`;
  return message;
}

/** A typo in an id or category is reported, not silently turned into "nothing to check". */
function selectChecks(options: RunOptions): readonly Check[] {
  const { ids, categories } = options;
  const unknownIds = (ids ?? []).filter((id) => !CHECKS.some((c) => c.id === id));
  const unknownCategories = (categories ?? []).filter((cat) => !CHECKS.some((c) => c.category === cat));
  if (unknownIds.length > 0 || unknownCategories.length > 0) {
    const unknown = [
      ...unknownIds.map((id) => `check "${id}"`),
      ...unknownCategories.map((cat) => `category "${cat}"`),
    ];
    throw new Error(
      `Unknown ${unknown.join(", ")}. Known categories: ${[...new Set(CHECKS.map((c) => c.category))].join(", ")}.`,
    );
  }
  if (!ids && !categories) return CHECKS;
  return CHECKS.filter((c) => ids?.includes(c.id) || categories?.includes(c.category));
}

const elapsed = (since: number) => Math.round((performance.now() - since) * 10) / 10;

async function runOne(check: Check, ctx: CheckContext): Promise<CheckResult> {
  const { id, title, category, severity, fixHint } = check;
  let message: string | null = null;
  const started = performance.now();
  try {
    const rows = await check.offendingRows({
      db: ctx.db,
      features: ctx.features,
      engineLabel: ctx.engineLabel,
      note: (text) => {
        message = text;
      },
    });
    const status: CheckStatus = rows.length === 0 ? "pass" : severity === "error" ? "fail" : "warn";
    return {
      id,
      title,
      category,
      severity,
      fixHint,
      status,
      offendingCount: rows.length,
      sample: rows.slice(0, SAMPLE_SIZE),
      message,
      durationMs: elapsed(started),
    };
  } catch (error) {
    return {
      id,
      title,
      category,
      severity,
      fixHint,
      status: "error",
      offendingCount: 0,
      sample: [],
      message: describeCheckError(error),
      durationMs: elapsed(started),
    };
  }
}

export async function runChecks(ctx: CheckContext, options: RunOptions = {}): Promise<CheckReport> {
  const checks = selectChecks(options);
  const startedAt = new Date();
  const started = performance.now();
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runOne(check, ctx));
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, error: 0 };
  for (const result of results) counts[result.status]++;
  return {
    startedAt,
    durationMs: elapsed(started),
    engineLabel: ctx.engineLabel,
    results,
    counts,
    passed: !results.some((r) => r.severity === "error" && (r.status === "fail" || r.status === "error")),
  };
}
