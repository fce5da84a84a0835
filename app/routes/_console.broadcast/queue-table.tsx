import { Link } from "@remix-run/react";
import type { BroadcastEntry } from "#db/queries/broadcast-list";
import { ConnectionStatus, When } from "~/components/status-pills";
import { SimpleTable } from "~/components/simple-table";
import { cx, focusRing } from "~/components/classes";

// The seed's broadcast query as it stands now: what the next cycle sends, in order.

type Row = Omit<BroadcastEntry, "last_broadcast_at"> & { last_broadcast_at: string | Date | null };

export function QueueTable({ queue }: { queue: Row[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
      <SimpleTable
        look="panel"
        caption="Broadcast queue in broadcast order"
        columns={[
          { label: "#", numeric: true },
          { label: "Ticker" },
          { label: "Priority", numeric: true },
          { label: "Last broadcast" },
          { label: "Market" },
          { label: "WebSocket URL" },
          { label: "Provider" },
          { label: "Connection" },
        ]}
      >
        <tbody>
          {queue.map((row, i) => (
            <tr key={row.id} className="border-b border-slate-100 last:border-0 hover:bg-slate-50/60">
              <td className="px-3 py-1.5 text-right text-xs text-slate-500 tabular-nums">{i + 1}</td>
              <th scope="row" className="px-3 py-1.5 font-mono font-semibold">
                <Link to={`/symbols/${row.id}`} className={cx("rounded-sm text-indigo-700 hover:underline", focusRing)}>
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
      </SimpleTable>
    </div>
  );
}
