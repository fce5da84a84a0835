import { Link } from "@remix-run/react";
import { ConnectionStatus, When } from "~/components/status-pills";
import { SimpleTable } from "~/components/simple-table";
import { cx } from "~/components/classes";

// The seed's broadcast query as it stands now: what the next cycle sends, in order. A hundred rows:
// their look is set once on the table body rather than on every cell.

export interface QueueRow {
  id: string;
  ticker: string;
  broadcast_priority: number;
  last_broadcast_at: string | Date | null;
  market_code: string;
  websocket_url: string | null;
  provider_code: string | null;
  connection_status: string | null;
}

const bodyStyles = cx(
  "*:border-b *:border-slate-100 *:last:border-0 *:hover:bg-slate-50/60",
  "[&_:is(td,th)]:px-3 [&_:is(td,th)]:py-1.5 [&_td]:text-xs [&_td]:text-slate-600",
  "[&_td:first-child]:text-right [&_td:first-child]:text-slate-500 [&_td:first-child]:tabular-nums",
  "[&_td:nth-child(3)]:text-right [&_td:nth-child(3)]:text-[13px] [&_td:nth-child(3)]:text-slate-900",
  "[&_td:nth-child(3)]:tabular-nums [&_td:nth-child(6)]:font-mono",
  "[&_th]:font-mono [&_th]:font-semibold",
  "[&_a]:rounded-sm [&_a]:text-indigo-700 [&_a]:hover:underline [&_a]:focus:outline-none",
  "[&_a]:focus-visible:ring-2 [&_a]:focus-visible:ring-indigo-500",
);

export function QueueTable({ queue }: { queue: QueueRow[] }) {
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
        <tbody className={bodyStyles}>
          {queue.map((row, i) => (
            <tr key={row.id}>
              <td>{i + 1}</td>
              <th scope="row">
                <Link to={`/symbols/${row.id}`} discover="none">
                  {row.ticker}
                </Link>
              </th>
              <td>{row.broadcast_priority}</td>
              <td>
                <When at={row.last_broadcast_at} />
              </td>
              <td>{row.market_code}</td>
              <td>{row.websocket_url ?? <span className="font-sans text-amber-800">none configured</span>}</td>
              <td>{row.provider_code ?? <span className="text-slate-500">none</span>}</td>
              <td>
                <ConnectionStatus status={row.connection_status} />
              </td>
            </tr>
          ))}
        </tbody>
      </SimpleTable>
    </div>
  );
}
