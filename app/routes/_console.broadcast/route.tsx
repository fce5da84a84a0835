import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BROADCAST_LIMIT, listBroadcastQueue } from "#db/queries/broadcast-list";
import { ConnectionStatus, When } from "~/components/status-pills";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";

// What the WebSocket service broadcasts next: the seed's broadcast query, its one definition in
// db/queries, so this page shows exactly what the service runs.

export const meta: MetaFunction = () => [{ title: "Broadcast · Symbol Desk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  return withDb(async ({ db }) => {
    const started = performance.now();
    const queue = await listBroadcastQueue(db);
    return {
      queue,
      queryMs: Math.round((performance.now() - started) * 10) / 10,
      measuredAt: new Date().toISOString(),
    };
  });
}

export default function BroadcastPage() {
  const { queue, queryMs, measuredAt } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">Broadcast queue</h1>
          <p className="mt-0.5 text-[13px] text-slate-500">
            The next {BROADCAST_LIMIT} symbols the WebSocket service broadcasts: active and tracked, highest priority
            first, then the longest unsent.
          </p>
        </div>
        <p className="text-xs text-slate-500">
          {queue.length} rows · query {queryMs} ms · as of{" "}
          <time dateTime={measuredAt}>{measuredAt.slice(11, 19)} UTC</time>
        </p>
      </header>
      {queue.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-[13px] text-slate-500">
          Nothing to broadcast: no symbol is both active and tracked.
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
          <table className="w-full text-left text-[13px]">
            <caption className="sr-only">Broadcast queue in broadcast order</caption>
            <thead className="bg-slate-50">
              <tr className="border-b border-slate-200 text-[11px] tracking-wide text-slate-500 uppercase">
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  #
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Ticker
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Priority
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Last broadcast
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Market
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  WebSocket URL
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Provider
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Connection
                </th>
              </tr>
            </thead>
            <tbody>
              {queue.map((row, i) => (
                <tr key={row.id} className="border-b border-slate-100 last:border-0 hover:bg-slate-50/60">
                  <td className="px-3 py-1.5 text-right text-xs text-slate-500 tabular-nums">{i + 1}</td>
                  <th scope="row" className="px-3 py-1.5 font-mono font-semibold">
                    <Link
                      to={`/symbols/${row.id}`}
                      className="rounded-sm text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                    >
                      {row.ticker}
                    </Link>
                  </th>
                  <td className="px-3 py-1.5 text-right tabular-nums">{row.broadcast_priority}</td>
                  <td className="px-3 py-1.5 text-xs text-slate-600">
                    <When at={row.last_broadcast_at} />
                  </td>
                  <td className="px-3 py-1.5 text-xs">{row.market_code}</td>
                  <td className="px-3 py-1.5 font-mono text-xs text-slate-600">
                    {row.websocket_url ?? <span className="font-sans text-amber-800">none configured</span>}
                  </td>
                  <td className="px-3 py-1.5 text-xs">
                    {row.provider_code ?? <span className="text-slate-500">none</span>}
                  </td>
                  <td className="px-3 py-1.5">
                    <ConnectionStatus status={row.connection_status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
