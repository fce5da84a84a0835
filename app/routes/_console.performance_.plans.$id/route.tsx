import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Button } from "~/components/button";
import { ms, PanelMessage, StatusChip, utc } from "~/components/status-chip";
import { plural } from "~/utils/plural";
import { withDb } from "~/utils/db.server";
import { readPanel } from "~/utils/panel-data.server";
import { requireStaff } from "~/utils/permissions.server";
import { refuse, uuidParam } from "~/utils/preconditions.server";
import { comparePlans, criticalQuery, measurementHistory, measurementWithPlan } from "./plan.server";
import { PlanTree } from "./plan-tree";
import { cx, focusRing } from "~/components/classes";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Query plan · Symbol Desk" }];

const searchSchema = z.object({ compare: z.uuid().optional().catch(undefined) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  const id = uuidParam(params.id, "There is no measurement at this address.");
  const { compare } = searchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return withDb(async (conn) => {
    const read = await readPanel("The stored measurements", async () => {
      const measurement = await measurementWithPlan(conn.db, id);
      if (!measurement) return null;
      const other = compare ? await measurementWithPlan(conn.db, compare) : null;
      const siblings = await measurementHistory(conn.db, measurement.queryId, 30);
      return { measurement, other: other && other.queryId === measurement.queryId ? other : null, siblings };
    });
    if (read.ok && !read.data) refuse(404, "There is no measurement at this address: it may have been pruned.");
    if (!read.ok || !read.data) return { ok: false as const, message: read.ok ? "" : read.message };
    const { measurement, other, siblings } = read.data;
    const query = criticalQuery(measurement.queryId);
    const older = other && other.measuredAt < measurement.measuredAt ? other : measurement;
    const newer = other && older === other ? measurement : other;
    return {
      ok: true as const,
      queryName: query?.name ?? measurement.queryId,
      measurement: {
        ...measurement,
        measuredAt: measurement.measuredAt.toISOString(),
        plan: JSON.stringify(measurement.plan, null, 2),
      },
      comparison:
        other && newer
          ? {
              older: {
                id: older.id,
                measuredAt: older.measuredAt.toISOString(),
                median: older.execution.medianMs,
                schema: older.schemaVersion,
              },
              newer: {
                id: newer.id,
                measuredAt: newer.measuredAt.toISOString(),
                median: newer.execution.medianMs,
                schema: newer.schemaVersion,
              },
              result: comparePlans(older.tree, newer.tree),
            }
          : null,
      siblings: siblings
        .filter((s) => s.id !== measurement.id)
        .map((s) => ({
          id: s.id,
          label: `${utc(s.measuredAt)} · ${ms(s.execution.medianMs)} ms · ${s.schemaVersion ?? ""}`,
        })),
    };
  });
}

export default function PlanPage() {
  const page = useLoaderData<typeof loader>();
  if (!page.ok) return <PanelMessage>{page.message}</PanelMessage>;
  const m = page.measurement;
  const over = m.execution.medianMs >= m.targetMs;
  const changed = new Set(page.comparison?.result.nodes.filter((n) => n.kind !== "same").map((n) => n.path));
  return (
    <div className="space-y-5">
      <nav aria-label="Breadcrumb" className="text-xs text-slate-500">
        <Link to="/performance" className="hover:text-slate-800 hover:underline">
          Performance
        </Link>{" "}
        <span aria-hidden="true">/</span> Plan
      </nav>
      <PageHeader
        title={<>Plan of {page.queryName}</>}
        description={
          <>
            Measured {utc(m.measuredAt)} by {m.actor} on {m.engineLabel} · {plural(m.runs, "run")} · schema{" "}
            {m.schemaVersion ?? "unknown"}
          </>
        }
      >
        <p className="text-[13px]">
          execution median{" "}
          <span className={`font-semibold tabular-nums ${over ? "text-red-700" : "text-emerald-700"}`}>
            {ms(m.execution.medianMs)} ms
          </span>{" "}
          (p95 {ms(m.execution.p95Ms)}) · planning {ms(m.planning.medianMs)} ms · target &lt; {m.targetMs} ms
        </p>
      </PageHeader>

      <section aria-labelledby="tree-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <h2 id="tree-title" className="mb-2 text-sm font-semibold text-slate-900">
          Plan tree <span className="font-normal text-slate-500">(the median run)</span>
        </h2>
        <PlanTree
          root={m.tree}
          caption={`Plan of ${page.queryName}`}
          highlight={page.comparison ? changed : undefined}
        />
        <details className="mt-3">
          <summary
            className={cx("cursor-pointer text-xs font-medium text-indigo-700 hover:text-indigo-900", focusRing)}
          >
            Raw plan (JSON)
          </summary>
          <pre
            data-fixed-palette
            // Focusable so that keyboard users can scroll the plan (axe: scrollable-region-focusable).
            // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
            tabIndex={0}
            aria-label="Raw plan"
            className={cx(
              "mt-2 max-h-96 overflow-auto rounded bg-slate-900 p-3 font-mono",
              "text-[11px] leading-4 text-slate-100 dark:bg-slate-950",
              focusRing,
            )}
          >
            {m.plan}
          </pre>
        </details>
      </section>

      <section aria-labelledby="compare-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="compare-title" className="text-sm font-semibold text-slate-900">
            Compare with another measurement
          </h2>
          <Form method="get" className="flex items-end gap-2">
            <label className="text-xs font-medium text-slate-600">
              Measurement
              <select
                name="compare"
                defaultValue={
                  page.comparison
                    ? page.comparison.older.id === m.id
                      ? page.comparison.newer.id
                      : page.comparison.older.id
                    : ""
                }
                className={cx(
                  "mt-0.5 block rounded-md border border-slate-300 bg-white px-2 py-1 text-[13px]",
                  focusRing,
                )}
              >
                <option value="" disabled>
                  Choose…
                </option>
                {page.siblings.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
            <Button type="submit" variant="secondary" size="sm">
              Compare
            </Button>
          </Form>
        </div>
        {page.comparison ? (
          <div className="mt-3 space-y-2">
            <p className="text-[13px]">
              {utc(page.comparison.older.measuredAt)} ({ms(page.comparison.older.median)} ms,{" "}
              {page.comparison.older.schema}) → {utc(page.comparison.newer.measuredAt)} (
              {ms(page.comparison.newer.median)} ms, {page.comparison.newer.schema}):{" "}
              {page.comparison.result.samePlan ? (
                <StatusChip tone="pass">same plan</StatusChip>
              ) : (
                <StatusChip tone="warn">{plural(page.comparison.result.changedCount, "node")} changed</StatusChip>
              )}
            </p>
            <ul className="space-y-0.5 font-mono text-[11px]" aria-label="Plan differences">
              {page.comparison.result.nodes.map((n) => (
                <li
                  key={n.path}
                  style={{ paddingLeft: `${n.depth * 14}px` }}
                  className={n.kind === "same" ? "text-slate-500" : "rounded bg-amber-50 text-amber-900"}
                >
                  {n.kind === "same"
                    ? n.after
                    : n.kind === "changed"
                      ? `${n.before}  →  ${n.after}`
                      : n.kind === "added"
                        ? `+ ${n.after}`
                        : `− ${n.before}`}
                  {n.newBadges.length ? ` [new: ${n.newBadges.join(", ")}]` : ""}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="mt-2 text-xs text-slate-500">
            {page.siblings.length
              ? "Choose a measurement of the same query to see what changed in the plan."
              : "No other measurement of this query yet."}
          </p>
        )}
      </section>
    </div>
  );
}
