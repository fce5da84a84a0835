import type { ColumnType, Generated, Selectable } from "kysely";

// The broadcaster's shared state (20250107_broadcaster_control).

type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface BroadcasterControlTable {
  /** Always true: the table has one row. */
  id: Generated<boolean>;
  paused: Generated<boolean>;
  changed_at: CreatedAt;
  changed_by_staff_id: string | null;
}

export interface BroadcasterControlEventTable {
  id: Generated<string>;
  paused: boolean;
  reason: string | null;
  staff_id: string | null;
  created_at: CreatedAt;
}

export interface BroadcasterInstanceTable {
  instance_id: string;
  host: string;
  started_at: CreatedAt;
  last_cycle_at: Date | null;
  interval_ms: number;
  /** A BroadcasterStats object (db/broadcast/stats.ts), written whole once per cycle. */
  stats: Json;
}

export type BroadcasterInstance = Selectable<BroadcasterInstanceTable>;
