import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BROADCAST_LIMIT } from "#db/queries/broadcast-list";
import { LiveRefresh } from "~/components/live-refresh";
import { requireStaff } from "~/utils/permissions.server";
import { broadcastPageData, steerBroadcaster } from "./broadcast.server";
import { LiveFigures, ProviderList, StateBadge, SymbolSends, UsersTable } from "./live-panels";
import { PauseControl } from "./pause-control";
import { QueueTable } from "./queue-table";
import { PageHeader } from "~/components/page-header";
import { cx } from "~/components/classes";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

// The WebSocket broadcaster, live: its state and figures as the running broadcaster last wrote
// them, the pause switch for admins, the providers' connection state, and what the next cycle
// sends (the seed's broadcast query, its one definition in db/queries, so this page shows
// exactly what the service runs).

export const meta: MetaFunction = () => [{ title: "Broadcast · Symbol Desk" }];

const REFRESH_SECONDS = 2;

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "viewer");
  return broadcastPageData(staff);
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "admin");
  return steerBroadcaster(request, staff);
}

export default function BroadcastPage() {
  const { queue, queryMs, measuredAt, health, control, events, providers, canSteer } = useLoaderData<typeof loader>();
  const stats = health.stats;
  return (
    <div className="space-y-4">
      <PageHeader
        title="Broadcast"
        description={
          <>
            The WebSocket service on <code className="font-mono text-xs">/ws/symbols</code>: every{" "}
            {health.intervalMs ?? "—"} ms it sends the broadcast queue&apos;s symbols to the clients that follow them.
          </>
        }
      >
        <div className="flex items-center gap-3">
          <StateBadge health={health} />
          <LiveRefresh readAt={measuredAt} intervalSeconds={REFRESH_SECONDS} />
        </div>
      </PageHeader>

      {stats && health.intervalMs ? (
        <LiveFigures stats={stats} intervalMs={health.intervalMs} />
      ) : (
        <p
          className={cx(
            "rounded-lg border border-dashed border-slate-300 bg-white p-6",
            "text-center text-[13px] text-slate-500",
          )}
        >
          No broadcaster has reported yet. It runs inside <code>npm start</code>, or alone with{" "}
          <code>npm run broadcaster</code>.
        </p>
      )}

      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          {stats ? (
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
              <SymbolSends stats={stats} />
            </div>
          ) : null}
          {stats && stats.clients.byUser.length > 0 ? (
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
              <UsersTable stats={stats} />
            </div>
          ) : null}
        </div>
        <div className="space-y-4">
          <PauseControl control={control} events={events} canSteer={canSteer} />
          <section
            aria-labelledby="providers-heading"
            className="rounded-lg border border-slate-200 bg-white shadow-xs"
          >
            <h2 id="providers-heading" className="px-3 pt-3 text-sm font-semibold text-slate-900">
              Provider connections
            </h2>
            <ProviderList providers={providers} />
          </section>
        </div>
      </div>

      <section aria-labelledby="queue-heading" className="space-y-2">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <h2 id="queue-heading" className="text-base font-semibold text-slate-900">
            Broadcast queue
          </h2>
          <p className="text-xs text-slate-500">
            The next {BROADCAST_LIMIT}: active and tracked, highest priority first, then the longest unsent ·{" "}
            {queue.length} rows · query {queryMs} ms
          </p>
        </div>
        {queue.length === 0 ? (
          <p
            className={cx(
              "rounded-lg border border-dashed border-slate-300 bg-white p-10",
              "text-center text-[13px] text-slate-500",
            )}
          >
            Nothing to broadcast: no symbol is both active and tracked.
          </p>
        ) : (
          <QueueTable queue={queue} />
        )}
      </section>
    </div>
  );
}
