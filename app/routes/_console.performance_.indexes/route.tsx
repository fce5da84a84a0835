import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LiveRefresh } from "~/components/live-refresh";
import { StatusChip, utc } from "~/components/status-chip";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";
import { HIT_RATIO_TARGET, readIndexHealth } from "./indexes.server";
import { cx, focusRing } from "~/components/classes";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Index health · Symbol Desk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  return withDb(async (conn) => {
    const h = await readIndexHealth(conn);
    return {
      ...h,
      target: HIT_RATIO_TARGET,
      readAt: h.readAt.toISOString(),
      statisticsSince: h.statisticsSince?.toISOString() ?? null,
      expected: h.expected.map((e) => ({ ...e, lastUsed: e.lastUsed?.toISOString() ?? null })),
    };
  });
}

const bytes = (n: number | null) =>
  n === null
    ? "–"
    : n < 1024
      ? `${n} B`
      : n < 1024 ** 2
        ? `${(n / 1024).toFixed(0)} kB`
        : `${(n / 1024 ** 2).toFixed(1)} MB`;

function Ratio({
  label,
  figure,
  target,
}: {
  label: string;
  figure: { value: number | null; unavailable: string | null; judged: boolean };
  target: number;
}) {
  const ok = figure.value !== null && figure.value > target;
  const tone = !figure.judged ? "text-slate-700" : ok ? "text-emerald-700" : "text-red-700";
  return (
    <div className="rounded-md border border-slate-200 px-3 py-2">
      <dt className="text-[11px] font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      {figure.value === null ? (
        <dd className="mt-0.5 text-[13px] text-slate-600">{figure.unavailable}</dd>
      ) : (
        <dd className={`text-xl font-semibold tabular-nums ${tone}`}>
          {(Math.floor(figure.value * 10_000) / 100).toFixed(2)} %
          <span className="ml-1 text-xs font-normal text-slate-500">
            target &gt; {target * 100} %{figure.judged ? "" : " · not judged yet: too little traffic"}
          </span>
        </dd>
      )}
    </div>
  );
}

export default function IndexHealthPage() {
  const h = useLoaderData<typeof loader>();
  const th = "px-2 py-1.5 font-medium";
  return (
    <div className="space-y-6">
      <PageHeader
        title="Index health"
        description={
          <>
            The seed's six indexes and the catalogue tables, from PostgreSQL's statistics views on {h.engineLabel}
            {h.statisticsSince ? `, counted since ${utc(h.statisticsSince)}` : ""}.
          </>
        }
        below={
          <nav aria-label="Performance views" className="mt-2 flex gap-3 text-[13px]">
            <Link to="/performance" className={cx("pb-0.5 text-slate-600 hover:text-slate-900", focusRing)}>
              Critical queries
            </Link>
            <span aria-current="page" className="border-b-2 border-indigo-500 pb-0.5 font-medium text-slate-900">
              Index health
            </span>
          </nav>
        }
      >
        <LiveRefresh readAt={h.readAt} intervalSeconds={30} />
      </PageHeader>

      <section aria-labelledby="ratio-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <h2 id="ratio-title" className="text-sm font-semibold text-slate-900">
          Cache hit ratio <span className="font-normal text-slate-500">(catalogue tables)</span>
        </h2>
        <dl className="mt-2 grid gap-3 sm:grid-cols-2">
          <Ratio label="Index blocks" figure={h.indexHitRatio} target={h.target} />
          <Ratio label="Table blocks" figure={h.tableHitRatio} target={h.target} />
        </dl>
        {h.blockAccesses !== null ? (
          <p className="mt-2 text-xs text-slate-500">
            Based on {count(h.blockAccesses)} block accesses since the statistics were reset. A cold cache reads every
            block from disk once, so a verdict needs about {count(h.accessesNeeded)} accesses (100 per block of these
            tables), the rule the hit-ratio check uses.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="seed-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <h2 id="seed-title" className="text-sm font-semibold text-slate-900">
          The seed's indexes
        </h2>
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-left text-xs">
            <thead className="border-b border-slate-200 text-[10px] tracking-wide text-slate-500 uppercase">
              <tr>
                <th scope="col" className={th}>
                  Index
                </th>
                <th scope="col" className={th}>
                  Table
                </th>
                <th scope="col" className={th}>
                  State
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Size
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Scans
                </th>
                <th scope="col" className={th}>
                  Last used
                </th>
              </tr>
            </thead>
            <tbody>
              {h.expected.map((i) => (
                <tr key={i.name} className="border-b border-slate-100">
                  <th scope="row" className="px-2 py-1.5 font-mono text-[11px] font-normal text-slate-900">
                    {i.name}
                  </th>
                  <td className="px-2 py-1.5">{i.table}</td>
                  <td className="px-2 py-1.5">
                    {!i.present ? (
                      <StatusChip tone="fail">missing</StatusChip>
                    ) : !i.valid ? (
                      <StatusChip tone="fail">invalid</StatusChip>
                    ) : (
                      <StatusChip tone="pass">valid</StatusChip>
                    )}
                  </td>
                  <td className="px-2 py-1.5 text-right tabular-nums">{bytes(i.sizeBytes)}</td>
                  <td className="px-2 py-1.5 text-right tabular-nums">{i.scans ?? "–"}</td>
                  <td className="px-2 py-1.5 text-slate-600">
                    {i.lastUsed ? utc(i.lastUsed) : (i.lastUsedUnavailable ?? (i.present ? "never" : "–"))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-labelledby="unused-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
          <h2 id="unused-title" className="text-sm font-semibold text-slate-900">
            Unused indexes{" "}
            <span className="font-normal text-slate-500">(no scan since statistics began; unique ones excluded)</span>
          </h2>
          {h.unused.length === 0 ? (
            <p className="mt-2 text-[13px] text-slate-500">
              Every non-unique index on the catalogue tables has been used.
            </p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100 text-xs">
              {h.unused.map((i) => (
                <li key={i.name} className="flex justify-between py-1">
                  <span className="font-mono text-[11px]">
                    {i.name} <span className="text-slate-500">on {i.table}</span>
                  </span>
                  <span className="text-slate-600 tabular-nums">{bytes(i.sizeBytes)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="invalid-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
          <h2 id="invalid-title" className="text-sm font-semibold text-slate-900">
            Invalid indexes
          </h2>
          {h.invalid.length === 0 ? (
            <p className="mt-2 text-[13px] text-slate-500">
              None: no interrupted concurrent build left an unusable index.
            </p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100 text-xs">
              {h.invalid.map((i) => (
                <li key={i.name} className="py-1">
                  <span className="font-mono text-[11px] text-red-700">{i.name}</span> on {i.table}: drop it
                  CONCURRENTLY and build it again (re-running the migration does this).
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section aria-labelledby="tables-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <h2 id="tables-title" className="text-sm font-semibold text-slate-900">
          Table sizes
        </h2>
        <table className="mt-2 w-full text-left text-xs">
          <thead className="border-b border-slate-200 text-[10px] tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className={th}>
                Table
              </th>
              <th scope="col" className={`${th} text-right`}>
                Rows (est.)
              </th>
              <th scope="col" className={`${th} text-right`}>
                Table
              </th>
              <th scope="col" className={`${th} text-right`}>
                Indexes
              </th>
              <th scope="col" className={`${th} text-right`}>
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {h.tables.map((t) => (
              <tr key={t.name} className="border-b border-slate-100">
                <th scope="row" className="px-2 py-1.5 font-mono text-[11px] font-normal">
                  {t.name}
                </th>
                <td className="px-2 py-1.5 text-right tabular-nums">
                  {t.liveRows === null ? "not analyzed yet" : Math.round(t.liveRows).toLocaleString("en-US")}
                </td>
                <td className="px-2 py-1.5 text-right tabular-nums">{bytes(t.tableBytes)}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">{bytes(t.indexBytes)}</td>
                <td className="px-2 py-1.5 text-right font-medium tabular-nums">{bytes(t.totalBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
