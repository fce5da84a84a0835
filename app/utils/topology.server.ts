import type { DbConnection } from "#db/client";
import { broadcastLeadership, getLeadership } from "./instance.server";

// What /performance and /readiness say about the connections: a pooler, the direct URL, how
// caches learn of changes, the replica and its lag, and which instance leads the background work.

export interface TopologyView {
  engineLabel: string;
  pooled: boolean;
  poolerDetail: string;
  separateDirectUrl: boolean;
  changes: "notify" | "poll";
  replica: {
    state: string;
    lagSeconds: number | null;
    maxLagSeconds: number;
    checkedAt: string | null;
    note: string | null;
    reads: { replica: number; primary: number };
  } | null;
  leadership: { instanceId: string; mode: string; leader: boolean; instances: number | null } | null;
  /** This process's broadcaster's lead of the broadcast cycles; null when none runs here. */
  broadcast: { mode: string; leader: boolean } | null;
}

export async function topologyView(conn: DbConnection): Promise<TopologyView> {
  const topology = conn.topology();
  const leadership = await getLeadership().catch(() => null);
  const replica = topology.replica;
  return {
    engineLabel: conn.engineLabel,
    pooled: topology.pooled,
    poolerDetail: topology.poolerDetail,
    separateDirectUrl: topology.separateDirectUrl,
    changes: topology.changes,
    replica: replica && { ...replica, checkedAt: replica.checkedAt?.toISOString() ?? null },
    leadership: leadership && leadership.status(),
    broadcast: broadcastOf(broadcastLeadership()),
  };
}

function broadcastOf(leadership: ReturnType<typeof broadcastLeadership>): TopologyView["broadcast"] {
  if (!leadership) return null;
  const { mode, leader } = leadership.status();
  return { mode, leader };
}
