import { type ChipTone, StatusChip } from "./status-chip";

// The connections this instance uses, on /performance and /readiness: whether DATABASE_URL is a
// pooler, how caches learn of changes, the replica's lag, and who leads the background work and
// the broadcast cycles.

export interface TopologyPanelData {
  pooled: boolean;
  poolerDetail: string;
  separateDirectUrl: boolean;
  changes: "notify" | "poll";
  replica: {
    state: string;
    lagSeconds: number | null;
    maxLagSeconds: number;
    note: string | null;
    reads: { replica: number; primary: number };
  } | null;
  leadership: { instanceId: string; mode: string; leader: boolean; instances: number | null } | null;
  broadcast: { mode: string; leader: boolean } | null;
}

const REPLICA_TONES: Record<string, ChipTone> = {
  healthy: "pass",
  lagging: "warn",
  down: "fail",
  starting: "neutral",
};

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-1.5">
      <dt className="w-40 shrink-0 text-xs font-medium text-slate-500">{label}</dt>
      <dd className="min-w-0 flex-1 text-[13px] text-slate-800">{children}</dd>
    </div>
  );
}

export function TopologyPanel({ topology }: { topology: TopologyPanelData }) {
  const { replica, leadership, broadcast } = topology;
  return (
    <section aria-labelledby="topology-heading" className="rounded-lg border border-slate-200 bg-white px-4 py-3">
      <h2 id="topology-heading" className="text-sm font-semibold text-slate-900">
        Connections
      </h2>
      <dl className="mt-1 divide-y divide-slate-100">
        <Row label="DATABASE_URL">
          {topology.pooled ? (
            <>
              <StatusChip tone="info">pooled</StatusChip> a transaction pooler ({topology.poolerDetail})
            </>
          ) : (
            <>
              <StatusChip tone="neutral">direct</StatusChip> {topology.poolerDetail}
            </>
          )}
        </Row>
        <Row label="Session work">
          {topology.separateDirectUrl
            ? "LISTEN, migrations and advisory locks over DATABASE_DIRECT_URL"
            : topology.pooled
              ? "no direct URL: migrations are refused, leadership is off"
              : "LISTEN, migrations and advisory locks over DATABASE_URL"}
        </Row>
        <Row label="Cache of the defaults">
          {topology.changes === "notify"
            ? "dropped when the database announces a change (LISTEN/NOTIFY)"
            : "a version row read at most once a second: a change shows within about a second"}
        </Row>
        <Row label="Read replica">
          {replica ? (
            <>
              <StatusChip tone={REPLICA_TONES[replica.state] ?? "neutral"}>{replica.state}</StatusChip>{" "}
              {replica.lagSeconds === null ? "lag unknown" : `lag ${replica.lagSeconds.toFixed(3)} s`} (reads go to the
              primary above {replica.maxLagSeconds} s) · {replica.reads.replica} reads on the replica,{" "}
              {replica.reads.primary} on the primary{replica.note ? ` · ${replica.note}` : ""}
            </>
          ) : (
            "none (DATABASE_REPLICA_URL unset): every read goes to the primary"
          )}
        </Row>
        <Row label="Background work">
          {leadership
            ? `${leadership.leader ? "this instance leads" : "another instance leads"} (${leadership.mode}) · ` +
              `${leadership.instances ?? "unknown number of"} instance(s) · this is ${leadership.instanceId}`
            : "not started yet"}
        </Row>
        <Row label="Broadcast cycles">
          {broadcast
            ? broadcast.leader
              ? `this instance's broadcaster leads: it lists and stamps the queue (${broadcast.mode})`
              : "another broadcaster leads; this one delivers the same queue to its clients without stamping"
            : "no broadcaster runs in this process (BROADCASTER_IN_PROCESS=false, or it did not start): see /broadcast"}
        </Row>
      </dl>
    </section>
  );
}
