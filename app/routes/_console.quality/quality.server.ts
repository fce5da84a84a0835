import { z } from "zod";
import { CHECKS } from "#db/checks/index";
import type { DbConnection } from "#db/client";
import { checkTrends, latestCheckRun, recentCheckRuns, runAndStoreChecks } from "#db/quality/check-history";

export { runAndStoreChecks };
import { readSnapshot, SNAPSHOTS } from "~/utils/page-snapshots.server";
import { readPanel } from "~/utils/panel-data.server";
import type { CheckRowView } from "./check-row";
import { STATUS_FILTERS } from "./status-filters";

// What the quality panel shows: the v_symbol_data_quality figures (a stored snapshot: the view
// scans every symbol and preference), the latest stored run of the checks with each check's
// trend, and the recent runs; filtered by category and status.

export const CATEGORIES = [...new Set(CHECKS.map((c) => c.category))];

export const filterSchema = z.object({
  category: z.enum(["all", ...CATEGORIES] as [string, ...string[]]).catch("all"),
  status: z.enum(STATUS_FILTERS).catch("all"),
});

export type Filters = z.infer<typeof filterSchema>;

export async function qualityData(conn: DbConnection, filters: Filters) {
  // Independent reads, side by side.
  const [{ value: figures, ...figuresSnapshot }, history] = await Promise.all([
    readSnapshot(conn, SNAPSHOTS.figures),
    readPanel("The stored check runs", async () => {
      const [latest, trends, runs] = await Promise.all([
        latestCheckRun(conn.db),
        checkTrends(conn.db),
        recentCheckRuns(conn.db, 8),
      ]);
      return { latest, trends, runs };
    }),
  ]);
  if (!history.ok) return { figures, figuresSnapshot, history: { ok: false as const, message: history.message } };
  const { latest, trends, runs } = history.data;
  const order = new Map(CHECKS.map((c, i) => [c.id, i]));
  const all: CheckRowView[] = (latest?.results ?? [])
    .sort((a, b) => (order.get(a.id) ?? 999) - (order.get(b.id) ?? 999))
    .map((r) => ({
      id: r.id,
      title: r.title,
      category: r.category,
      severity: r.severity,
      status: r.status,
      offendingCount: r.offendingCount,
      sample: r.sample,
      message: r.message,
      fixHint: r.fixHint,
      durationMs: r.durationMs,
      trend: (trends.get(r.id) ?? []).map((p) => ({
        status: p.status,
        at: p.startedAt.toISOString(),
        count: p.offendingCount,
      })),
    }));
  const shown = all.filter(
    (c) =>
      (filters.category === "all" || c.category === filters.category) &&
      (filters.status === "all" || (filters.status === "problems" ? c.status !== "pass" : c.status === filters.status)),
  );
  return {
    figures,
    figuresSnapshot,
    history: {
      ok: true as const,
      latest: latest && {
        id: latest.id,
        startedAt: latest.startedAt.toISOString(),
        durationMs: latest.durationMs,
        engineLabel: latest.engineLabel,
        trigger: latest.trigger,
        actor: latest.actor,
        passed: latest.passed,
        counts: latest.counts,
        total: latest.results.length,
      },
      checks: shown,
      totalChecks: all.length,
      runs: runs.map((r) => ({ ...r, startedAt: r.startedAt.toISOString() })),
    },
  };
}
