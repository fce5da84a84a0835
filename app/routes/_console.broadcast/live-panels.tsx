import type { BroadcasterHealth } from "#db/broadcast/health";
import type { BroadcasterStats } from "#db/broadcast/stats";
import { ConnectionStatus } from "~/components/status-pills";
import { plural } from "~/utils/plural";

// The broadcaster's figures as its last cycle wrote them: clients, throughput, cycle time
// against the interval, and each symbol's last send and sends per minute.

export type HealthView = BroadcasterHealth;

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

const STATE = {
  live: { word: "Broadcasting", style: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  paused: { word: "Paused", style: "bg-amber-50 text-amber-900 ring-amber-300" },
  stalled: { word: "Stalled", style: "bg-red-50 text-red-800 ring-red-300" },
  "not-running": { word: "Not running", style: "bg-slate-100 text-slate-700 ring-slate-300" },
} as const;

export function StateBadge({ health }: { health: HealthView }) {
  const state = STATE[health.state];
  return (
    <p
      role="status"
      aria-label="Broadcaster state"
      className={`rounded-md px-2 py-1 text-xs font-semibold ring-1 ring-inset ${state.style}`}
    >
      {state.word}
      {health.state === "stalled" && health.silentMs !== null
        ? ` · no cycle for ${Math.round(health.silentMs / 1000)} s`
        : null}
    </p>
  );
}

function Tile({
  label,
  value,
  detail,
  warn = false,
}: {
  label: string;
  value: string;
  detail: string;
  warn?: boolean;
}) {
  return (
    <li
      aria-label={label}
      className={`rounded-lg border bg-white px-4 py-3 shadow-xs ${warn ? "border-amber-300" : "border-slate-200"}`}
    >
      <h3 className="text-[13px] font-medium text-slate-600">{label}</h3>
      <p className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums">{value}</p>
      <p className="mt-0.5 text-xs text-slate-500">{detail}</p>
    </li>
  );
}

export function LiveFigures({ stats, intervalMs }: { stats: BroadcasterStats; intervalMs: number }) {
  const users = stats.clients.byUser.length;
  return (
    <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label="Live figures">
      <Tile
        label="Connected clients"
        value={number.format(stats.clients.total)}
        detail={`${number.format(stats.clients.anonymous)} anonymous · ${plural(users, "user")} signed in by token`}
      />
      <Tile
        label="Messages per second"
        value={number.format(stats.messagesPerSecond)}
        detail={`${number.format(stats.bytesPerSecond / 1024)} KB/s over the last 10 s`}
      />
      <Tile
        label="Cycle duration"
        value={`${number.format(stats.lastCycleMs)} ms`}
        detail={
          `of a ${number.format(intervalMs)} ms interval · max ${number.format(stats.cycleMsMax)} ms in the ` +
          `last minute · ${stats.missedCycles} missed`
        }
        warn={stats.cycleMsMax > intervalMs}
      />
      <Tile
        label="Connections per minute"
        value={`${stats.connectsPerMinute} / ${stats.disconnectsPerMinute}`}
        detail={`connects / disconnects · ${stats.slowDropsPerMinute} dropped as too slow`}
        warn={stats.slowDropsPerMinute > 0}
      />
    </ul>
  );
}

export function UsersTable({ stats }: { stats: BroadcasterStats }) {
  if (stats.clients.byUser.length === 0) return null;
  return (
    <table className="w-full text-left text-[13px]">
      <caption className="px-3 py-2 text-left text-[13px] font-semibold text-slate-800">Clients by user</caption>
      <thead>
        <tr className="border-b border-slate-200 text-[11px] tracking-wide text-slate-500 uppercase">
          <th scope="col" className="px-3 py-1.5 font-medium">
            User
          </th>
          <th scope="col" className="px-3 py-1.5 text-right font-medium">
            Connections
          </th>
        </tr>
      </thead>
      <tbody>
        {stats.clients.byUser.map((u) => (
          <tr key={u.userId} className="border-b border-slate-100 last:border-0">
            <td className="px-3 py-1 font-mono text-xs">{u.userId}</td>
            <td className="px-3 py-1 text-right tabular-nums">{u.clients}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SymbolSends({ stats }: { stats: BroadcasterStats }) {
  return (
    <table className="w-full text-left text-[13px]">
      <caption className="px-3 py-2 text-left text-[13px] font-semibold text-slate-800">
        Symbols sent in the last minute
        <span className="ml-2 font-normal text-slate-500">
          {stats.sentLastCycle} of {stats.listedLastCycle} listed in the last cycle had a price
        </span>
      </caption>
      <thead>
        <tr className="border-b border-slate-200 text-[11px] tracking-wide text-slate-500 uppercase">
          <th scope="col" className="px-3 py-1.5 font-medium">
            Ticker
          </th>
          <th scope="col" className="px-3 py-1.5 font-medium">
            Last send
          </th>
          <th scope="col" className="px-3 py-1.5 text-right font-medium">
            Sends / min
          </th>
        </tr>
      </thead>
      <tbody>
        {stats.symbols.slice(0, 50).map((s) => (
          <tr key={s.id} className="border-b border-slate-100 last:border-0">
            <th scope="row" className="px-3 py-1 font-mono text-xs font-semibold">
              {s.ticker}
            </th>
            <td className="px-3 py-1 text-xs text-slate-600">
              <time dateTime={s.lastSentAt} className="tabular-nums">
                {s.lastSentAt.slice(11, 19)} UTC
              </time>
            </td>
            <td className="px-3 py-1 text-right tabular-nums">{s.sendsPerMinute}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ProviderList({
  providers,
}: {
  providers: Array<{ id: string; code: string; market: string; status: string }>;
}) {
  return (
    <ul aria-label="Providers" className="divide-y divide-slate-100">
      {providers.map((p) => (
        <li key={p.id} className="flex items-center justify-between gap-3 px-3 py-1.5 text-[13px]">
          <span>
            <span className="font-mono text-xs font-semibold">{p.code}</span>
            <span className="ml-2 text-xs text-slate-500">{p.market}</span>
          </span>
          <ConnectionStatus status={p.status} />
        </li>
      ))}
    </ul>
  );
}
