import type { DbConnection } from "#db/client";
import { runChecks } from "#db/checks/runner";
import type { CheckCategory, CheckSeverity, CheckStatus } from "#db/checks/types";
import { snapshot } from "~/utils/snapshot.server";

// The home page's summary of the data-quality checks. A run takes from a few hundred milliseconds
// to seconds on a large catalogue (trigger probes, EXPLAIN ANALYZE), so one run serves every
// visitor for CACHE_MS, and the last one is shown while the next runs.

const CACHE_MS = 30_000;

export interface CheckAttention {
  id: string;
  title: string;
  category: CheckCategory;
  severity: CheckSeverity;
  status: Exclude<CheckStatus, "pass">;
  offendingCount: number;
  fixHint: string;
  message: string | null;
}

export interface CheckSummary {
  ok: true;
  checkedAt: string;
  durationMs: number;
  total: number;
  passed: boolean;
  counts: Record<CheckStatus, number>;
  byCategory: { category: CheckCategory; counts: Record<CheckStatus, number> }[];
  attention: CheckAttention[];
}

export type CheckSummaryResult = CheckSummary | { ok: false; message: string };

async function summarize(conn: DbConnection): Promise<CheckSummary> {
  const report = await runChecks(conn);
  const byCategory = new Map<CheckCategory, Record<CheckStatus, number>>();
  for (const r of report.results) {
    const counts = byCategory.get(r.category) ?? { pass: 0, warn: 0, fail: 0, error: 0 };
    counts[r.status]++;
    byCategory.set(r.category, counts);
  }
  const rank: Record<CheckStatus, number> = { error: 0, fail: 1, warn: 2, pass: 3 };
  return {
    ok: true,
    checkedAt: report.startedAt.toISOString(),
    durationMs: report.durationMs,
    total: report.results.length,
    passed: report.passed,
    counts: report.counts,
    byCategory: [...byCategory].map(([category, counts]) => ({ category, counts })),
    attention: report.results
      .filter((r): r is typeof r & { status: CheckAttention["status"] } => r.status !== "pass")
      .sort((a, b) => rank[a.status] - rank[b.status])
      .map(({ id, title, category, severity, status, offendingCount, fixHint, message }) => ({
        id,
        title,
        category,
        severity,
        status,
        offendingCount,
        fixHint,
        message,
      })),
  };
}

/** Never rejects: a run that cannot start is reported in the summary, not as a broken page. */
export async function checkSummary(conn: DbConnection): Promise<CheckSummaryResult> {
  try {
    return await snapshot("home:checks", CACHE_MS, () => summarize(conn), { serveStale: true });
  } catch (error) {
    console.error("[checks] run failed:", error);
    return { ok: false, message: "The data-quality checks could not run just now. Reload the page to try again." };
  }
}
