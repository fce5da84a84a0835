import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useFetcher, useLoaderData, useSubmit } from "@remix-run/react";
import { z } from "zod";
import { Button } from "~/components/button";
import { LiveRefresh } from "~/components/live-refresh";
import { SnapshotStatus } from "~/components/snapshot-status";
import { ms, PanelMessage, StatusChip, utc } from "~/components/status-chip";
import { scheduleDescription } from "~/utils/check-schedule.server";
import { withDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/console-forms.server";
import { describeFailure } from "~/utils/panel-data.server";
import { requireStaff } from "~/utils/permissions.server";
import { invalidateReadiness } from "~/utils/readiness.server";
import { refreshSnapshotsFromForm, SNAPSHOTS } from "~/utils/page-snapshots.server";
import { REFRESH_INTENT } from "~/utils/refresh-intent";
import { CheckRow } from "./check-row";
import { CATEGORIES, filterSchema, qualityData, runAndStoreChecks } from "./quality.server";
import { STATUS_FILTERS } from "./status-filters";
import { cx, focusRing } from "~/components/classes";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Data quality · Symbol Desk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  const url = new URL(request.url);
  const filters = filterSchema.parse(Object.fromEntries(url.searchParams));
  return withDb(async (conn) => ({
    readAt: new Date().toISOString(),
    engineLabel: conn.engineLabel,
    schedule: scheduleDescription(),
    filters,
    categories: CATEGORIES,
    ...(await qualityData(conn, filters)),
  }));
}

const runSchema = z.object({ intent: z.literal("run", { error: "Unknown action." }) });

// Every staff role may run the checks: they only read the catalogue (the trigger probes write in
// a transaction that is always rolled back) and store the run.
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "viewer");
  const form = await readForm(request);
  if (form.get("intent") === REFRESH_INTENT) return refreshSnapshotsFromForm(form, staff.email, [SNAPSHOTS.figures]);
  const parsed = parseForm(runSchema, form);
  if (!parsed.ok)
    return data({ ok: false as const, error: parsed.fieldErrors.intent ?? "Unknown action." }, { status: 400 });
  return withDb(async (conn) => {
    try {
      const { report } = await runAndStoreChecks(conn, { trigger: "manual", actor: staff.email });
      invalidateReadiness();
      const { pass, warn, fail, error } = report.counts;
      return {
        ok: true as const,
        message: `Checked at ${utc(report.startedAt)}: ${pass} pass, ${warn} warn, ${fail} fail, ${error} error.`,
      };
    } catch (error) {
      return data(
        { ok: false as const, error: describeFailure(error, "The checks could not be run just now.") },
        { status: 409 },
      );
    }
  });
}

function RunButton() {
  const fetcher = useFetcher<typeof action>({ key: "run-checks" });
  const pending = fetcher.state !== "idle";
  const result = fetcher.data;
  return (
    <fetcher.Form method="post" className="flex items-center gap-3">
      <input type="hidden" name="intent" value="run" />
      <p aria-live="polite" className={`text-xs ${result && !result.ok ? "text-red-700" : "text-slate-600"}`}>
        {pending ? "Running all checks…" : result ? (result.ok ? result.message : result.error) : ""}
      </p>
      <Button type="submit" pending={pending} pendingText="Running…">
        Run checks now
      </Button>
    </fetcher.Form>
  );
}

function Filters({ filters, categories }: { filters: { category: string; status: string }; categories: string[] }) {
  const submit = useSubmit();
  const select = cx("rounded-md border border-slate-300 bg-white px-2 py-1 text-[13px]", focusRing);
  return (
    <Form
      method="get"
      className="flex flex-wrap items-end gap-3"
      onChange={(e) => submit(e.currentTarget, { preventScrollReset: true, replace: true })}
    >
      <label className="text-xs font-medium text-slate-600">
        Category
        <select name="category" defaultValue={filters.category} className={`mt-0.5 block ${select}`}>
          <option value="all">All categories</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs font-medium text-slate-600">
        Status
        <select name="status" defaultValue={filters.status} className={`mt-0.5 block ${select}`}>
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {s === "all" ? "All statuses" : s === "problems" ? "Not passing" : s}
            </option>
          ))}
        </select>
      </label>
      <noscript>
        <Button type="submit" variant="secondary" size="sm">
          Filter
        </Button>
      </noscript>
    </Form>
  );
}

export default function QualityPage() {
  const page = useLoaderData<typeof loader>();
  const { history, figures } = page;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Data quality"
        description={
          <>
            Every check of the migration's validation, with offending rows and fix hints. {page.schedule}; each run is
            kept.
          </>
        }
      >
        <div className="ml-auto flex flex-col items-end gap-2">
          <RunButton />
          <LiveRefresh readAt={page.readAt} intervalSeconds={30} />
        </div>
      </PageHeader>

      <section aria-labelledby="figures-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <h2 id="figures-title" className="text-sm font-semibold text-slate-900">
            Figures <code className="ml-1 font-mono text-[11px] font-normal text-slate-500">v_symbol_data_quality</code>
          </h2>
          <SnapshotStatus snapshot={page.figuresSnapshot} what="figures" />
        </div>
        {figures.ok ? (
          <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1.5 sm:grid-cols-3 lg:grid-cols-5">
            {figures.data.map((f) => {
              const off = f.meetsExpectation === false;
              return (
                <div
                  key={f.metric}
                  className="flex items-baseline justify-between gap-2 border-b border-slate-100 py-1"
                >
                  <dt className="text-xs text-slate-600">{f.metric.replace(/_/g, " ")}</dt>
                  <dd className={`text-sm font-semibold tabular-nums ${off ? "text-red-700" : "text-slate-900"}`}>
                    {f.value}
                  </dd>
                </div>
              );
            })}
          </dl>
        ) : (
          <div className="mt-2">
            <PanelMessage>{figures.message}</PanelMessage>
          </div>
        )}
      </section>

      <section aria-labelledby="checks-title" className="rounded-lg border border-slate-200 bg-white shadow-xs">
        <div className="flex flex-wrap items-end justify-between gap-3 border-b border-slate-200 p-4">
          <div>
            <h2 id="checks-title" className="text-sm font-semibold text-slate-900">
              Checks
            </h2>
            {history.ok && history.latest ? (
              <p className="mt-0.5 text-xs text-slate-500">
                Latest run {utc(history.latest.startedAt)} ({history.latest.trigger} by {history.latest.actor}) on{" "}
                {history.latest.engineLabel} in {ms(history.latest.durationMs)} ms:{" "}
                <span className={history.latest.passed ? "font-medium text-emerald-700" : "font-medium text-red-700"}>
                  {history.latest.passed ? "passed" : "failed"}
                </span>{" "}
                · <CountsText counts={history.latest.counts} />
              </p>
            ) : null}
          </div>
          <Filters filters={page.filters} categories={page.categories} />
        </div>
        {!history.ok ? (
          <div className="p-4">
            <PanelMessage>{history.message}</PanelMessage>
          </div>
        ) : !history.latest ? (
          <p className="p-6 text-center text-[13px] text-slate-500">
            No run stored yet. Run the checks now, or wait for the schedule.
          </p>
        ) : history.checks.length === 0 ? (
          <p className="p-6 text-center text-[13px] text-slate-500">
            No check matches this filter ({history.totalChecks} checks in the latest run).
          </p>
        ) : (
          <>
            <p className="sr-only" aria-live="polite">
              {history.checks.length} of {history.totalChecks} checks shown
            </p>
            <ul className="divide-y divide-slate-100" aria-label="Check results">
              {history.checks.map((check) => (
                <CheckRow key={check.id} check={check} />
              ))}
            </ul>
          </>
        )}
      </section>

      {history.ok && history.runs.length > 0 ? (
        <section aria-labelledby="runs-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
          <h2 id="runs-title" className="text-sm font-semibold text-slate-900">
            Recent runs
          </h2>
          <table className="mt-2 w-full text-left text-xs">
            <thead className="text-[10px] tracking-wide text-slate-500 uppercase">
              <tr>
                <th scope="col" className="py-1">
                  When
                </th>
                <th scope="col">Trigger</th>
                <th scope="col">By</th>
                <th scope="col">Verdict</th>
                <th scope="col" className="text-right">
                  Pass / warn / fail / error
                </th>
              </tr>
            </thead>
            <tbody>
              {history.runs.map((r) => (
                <tr key={r.id} className="border-t border-slate-100">
                  <td className="py-1 tabular-nums">{utc(r.startedAt)}</td>
                  <td>{r.trigger}</td>
                  <td className="text-slate-600">{r.actor}</td>
                  <td>
                    <StatusChip tone={r.passed ? "pass" : "fail"}>{r.passed ? "passed" : "failed"}</StatusChip>
                  </td>
                  <td className="text-right tabular-nums">
                    {r.counts.pass} / {r.counts.warn} / {r.counts.fail} / {r.counts.error}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}

function CountsText({ counts }: { counts: { pass: number; warn: number; fail: number; error: number } }) {
  return (
    <>
      {counts.pass} pass, {counts.warn} warn, {counts.fail} fail, {counts.error} error
    </>
  );
}
