import type { CheckCategory, CheckReport, CheckSeverity, CheckStatus } from "./types.js";

// A run of the checks told in brief, for the home page: counts by category and the checks that
// need attention, worst first. Plain JSON (dates as ISO strings), so it can be stored and shared.

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

export function summarizeReport(report: CheckReport): CheckSummary {
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
