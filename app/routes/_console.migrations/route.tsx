import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { LiveRefresh } from "~/components/live-refresh";
import { PanelMessage, StatusChip, utc } from "~/components/status-chip";
import { withDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/console-forms.server";
import { requireStaff } from "~/utils/permissions.server";
import { invalidateReadiness } from "~/utils/readiness.server";
import { actionSchema, migrationsData, runMigrationAction } from "./migrations.server";
import { RehearsalResult, RehearseForm } from "./rehearsal";
import { rollbackStepsSentence } from "./rollback-steps";
import { RepairAction, StepAction } from "./step-actions";
import { stepGate } from "./gate.server";
import { GatePanel } from "./gate-panel";
import { PageHeader } from "~/components/page-header";
import { cx } from "~/components/classes";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Migrations · Symbol Desk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "viewer");
  return withDb(async (conn) => {
    const data = await migrationsData(conn);
    // Admins only: the gates are what they confirm with. A rollback the page refuses has none.
    const gates =
      staff.role === "admin"
        ? await Promise.all([
            stepGate(conn, data.nextUp?.name ?? null, "up", data.appliedNames),
            data.nextDown?.refusal ? null : stepGate(conn, data.nextDown?.name ?? null, "down", data.appliedNames),
          ]).then(([up, down]) => ({ up, down }))
        : null;
    return { readAt: new Date().toISOString(), canAct: staff.role === "admin", ...data, gates };
  });
}

// Only admins act on migrations, the rehearsal included (it creates and drops a database).
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "admin");
  const parsed = parseForm(actionSchema, await readForm(request));
  if (!parsed.ok)
    return data(
      { ok: false as const, error: Object.values(parsed.fieldErrors)[0] ?? "Unknown action." },
      { status: 400 },
    );
  return withDb(async (conn) => {
    try {
      return await runMigrationAction(conn, parsed.data, staff.email);
    } finally {
      invalidateReadiness();
    }
  });
}

const STATE_TONE = { applied: "pass", pending: "neutral", interrupted: "fail" } as const;

export default function MigrationsPage() {
  const page = useLoaderData<typeof loader>();
  const { targets } = page;
  // Every step a rollback of the seed's migration runs, shown beside that migration.
  const seedRollback = rollbackStepsSentence(page.appliedNames, "20250108_data_driven_symbols");
  // What the admin would do next: apply the pending one, or else roll back the latest.
  const defaultRehearsal = page.nextUp?.name ?? page.nextDown?.name ?? null;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Migrations"
        description={
          <>
            Applied and pending migrations on {page.engineLabel}. The seed's targets: migration &lt;{" "}
            {targets.upMs / 1000} s, rollback &lt; {targets.downMs / 1000} s.
          </>
        }
      >
        <LiveRefresh readAt={page.readAt} intervalSeconds={30} />
      </PageHeader>

      <section aria-labelledby="list-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <h2 id="list-title" className="text-sm font-semibold text-slate-900">
          Migrations
        </h2>
        <table className="mt-2 w-full text-left text-xs">
          <thead className="border-b border-slate-200 text-[10px] tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="py-1.5 pr-2">
                Migration
              </th>
              <th scope="col" className="px-2">
                State
              </th>
              <th scope="col" className="px-2">
                Applied
              </th>
              <th scope="col" className="px-2">
                Last run
              </th>
            </tr>
          </thead>
          <tbody>
            {page.migrations.map((m) => (
              <tr key={m.name} className="border-b border-slate-100 align-top">
                <th scope="row" className="py-1.5 pr-2 font-normal">
                  <span className="font-mono text-[12px] text-slate-900">{m.name}</span>
                  <span className="block text-[11px] text-slate-500">{m.summary}</span>
                  {m.name === "20250108_data_driven_symbols" && seedRollback ? (
                    <span className="mt-0.5 block text-[11px] text-amber-800">{seedRollback}</span>
                  ) : null}
                </th>
                <td className="px-2 py-1.5">
                  <StatusChip tone={STATE_TONE[m.state]}>{m.state}</StatusChip>
                </td>
                <td className="px-2 py-1.5 text-slate-600 tabular-nums">{m.appliedAt ? utc(m.appliedAt) : "–"}</td>
                <td className="px-2 py-1.5 text-slate-600">
                  {m.lastRun ? (
                    <>
                      {m.lastRun.direction} · {m.lastRun.outcome} ·{" "}
                      <span
                        className={
                          m.lastRun.durationMs !== null &&
                          m.lastRun.durationMs >= (m.lastRun.direction === "up" ? targets.upMs : targets.downMs)
                            ? "font-semibold text-red-700"
                            : "tabular-nums"
                        }
                      >
                        {m.lastRun.durationMs ?? "–"} ms
                      </span>{" "}
                      · {utc(m.lastRun.startedAt)} by {m.lastRun.actor}
                    </>
                  ) : (
                    "–"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="act-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <h2 id="act-title" className="text-sm font-semibold text-slate-900">
          Apply or roll back
        </h2>
        {page.canAct ? (
          <div className="mt-3 grid gap-4 lg:grid-cols-2">
            <RepairAction interrupted={page.interrupted} />
            <StepAction
              intent="rollback"
              step={page.nextDown}
              verb="Roll back"
              tone="danger"
              gate={page.gates?.down ? <GatePanel gate={page.gates.down} /> : null}
            />
            <StepAction
              intent="apply"
              step={page.nextUp}
              verb="Apply"
              tone="primary"
              gate={page.gates?.up ? <GatePanel gate={page.gates.up} /> : null}
            />
          </div>
        ) : (
          <p className="mt-2 text-[13px] text-slate-500">
            Only admins can apply, roll back or rehearse migrations. You can see everything here.
          </p>
        )}
      </section>

      <section aria-labelledby="rehearse-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <h2 id="rehearse-title" className="text-sm font-semibold text-slate-900">
          Rehearsal
        </h2>
        <p className="mt-0.5 mb-3 text-xs text-slate-500">
          On a scratch copy (
          {page.engineLabel === "PostgreSQL server"
            ? "CREATE DATABASE … TEMPLATE, or a fresh database loaded with the catalogue"
            : "an in-memory copy of the catalogue"}
          ): up → validate → down → validate → up, timed, with a checksum of every symbol row. The live database is only
          read.
        </p>
        <RehearseForm
          names={page.migrationNames}
          defaultName={defaultRehearsal}
          targets={targets}
          canAct={page.canAct}
        />
        <h3 className="mt-4 mb-2 text-xs font-semibold text-slate-700">Latest rehearsals</h3>
        {!page.rehearsals.ok ? (
          <PanelMessage>{page.rehearsals.message}</PanelMessage>
        ) : page.rehearsals.list.length === 0 ? (
          <p className="text-[13px] text-slate-500">No rehearsal yet.</p>
        ) : (
          <div className="space-y-2">
            {page.rehearsals.list.slice(0, 2).map((r) => (
              <RehearsalResult key={r.id} r={r} targets={targets} />
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="runs-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <h2 id="runs-title" className="text-sm font-semibold text-slate-900">
          Run history
        </h2>
        <table className="mt-2 w-full text-left text-xs">
          <thead className="border-b border-slate-200 text-[10px] tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="py-1.5">
                When
              </th>
              <th scope="col">Migration</th>
              <th scope="col">Direction</th>
              <th scope="col" className="text-right">
                Duration
              </th>
              <th scope="col" className="px-2">
                By
              </th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {page.runs.map((r) => (
              <tr key={r.id} className="border-b border-slate-100">
                <td className="py-1 tabular-nums">{utc(r.startedAt)}</td>
                <td className="font-mono text-[11px]">{r.migration}</td>
                <td>{r.direction}</td>
                <td
                  className={cx(
                    "text-right tabular-nums",
                    r.durationMs !== null &&
                      r.durationMs >= (r.direction === "up" ? targets.upMs : targets.downMs) &&
                      "font-semibold text-red-700",
                  )}
                >
                  {r.durationMs ?? "–"} ms
                </td>
                <td className="px-2 text-slate-600">{r.actor}</td>
                <td>
                  <StatusChip tone={r.outcome === "succeeded" ? "pass" : r.outcome === "failed" ? "fail" : "warn"}>
                    {r.outcome}
                  </StatusChip>
                  {r.error ? <span className="ml-1 text-red-700">{r.error}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
