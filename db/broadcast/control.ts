import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";
import type { ConnectionState } from "./feed.js";
import type { BroadcasterStats } from "./stats.js";

// The broadcaster's state in the database: the pause switch (one row, audited), each running
// instance's figures, and the providers' connection state as the adapters report it.

export interface ControlState {
  paused: boolean;
  changedAt: Date;
  changedBy: string | null;
}

export async function readControl(db: Kysely<Database>): Promise<ControlState> {
  const row = await db
    .selectFrom("broadcaster_control as c")
    .leftJoin("staff_users as s", "s.id", "c.changed_by_staff_id")
    .select(["c.paused", "c.changed_at", "s.display_name"])
    .where("c.id", "=", true)
    .executeTakeFirst();
  return {
    paused: row?.paused ?? false,
    changedAt: row?.changed_at ?? new Date(0),
    changedBy: row?.display_name ?? null,
  };
}

/** Pauses or resumes broadcasting, with its audit entry, in one transaction. False if it already was. */
export async function setPaused(
  db: Kysely<Database>,
  input: { paused: boolean; staffId: string; reason: string | null },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable("broadcaster_control")
      .set({ paused: input.paused, changed_at: new Date(), changed_by_staff_id: input.staffId })
      .where("id", "=", true)
      .where("paused", "<>", input.paused)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) return false;
    await trx
      .insertInto("broadcaster_control_events")
      .values({ paused: input.paused, reason: input.reason, staff_id: input.staffId })
      .execute();
    return true;
  });
}

export function listControlEvents(db: Kysely<Database>, limit = 10) {
  return db
    .selectFrom("broadcaster_control_events as e")
    .leftJoin("staff_users as s", "s.id", "e.staff_id")
    .select(["e.id", "e.paused", "e.reason", "e.created_at", "s.display_name as staff_name"])
    .orderBy("e.created_at", "desc")
    .limit(limit)
    .execute();
}

/** Writes this instance's figures and answers whether broadcasting is paused, in one round trip. */
export async function publishInstance(
  db: Kysely<Database>,
  instance: { id: string; host: string; startedAt: Date; intervalMs: number; lastCycleAt: Date | null },
  stats: BroadcasterStats,
): Promise<boolean> {
  const { rows } = await sql<{ paused: boolean | null }>`
    with written as (
      insert into broadcaster_instances (instance_id, host, started_at, last_cycle_at, interval_ms, stats)
      values (${instance.id}, ${instance.host}, ${instance.startedAt}, ${instance.lastCycleAt}, ${instance.intervalMs},
              ${JSON.stringify(stats)}::jsonb)
      on conflict (instance_id) do update
        set last_cycle_at = excluded.last_cycle_at, interval_ms = excluded.interval_ms, stats = excluded.stats
      returning 1
    )
    select (select paused from broadcaster_control where id) as paused from written`.execute(db);
  return rows[0]?.paused ?? false;
}

export async function removeInstance(db: Kysely<Database>, instanceId: string): Promise<void> {
  await db.deleteFrom("broadcaster_instances").where("instance_id", "=", instanceId).execute();
}

/** Instances that wrote within `freshMs`, newest first; older rows are ones that died. */
export async function listInstances(db: Kysely<Database>) {
  const rows = await db.selectFrom("broadcaster_instances").selectAll().orderBy("last_cycle_at", "desc").execute();
  return rows.map((row) => ({ ...row, stats: row.stats as BroadcasterStats }));
}

export async function setProviderState(db: Kysely<Database>, providerId: string, state: ConnectionState) {
  await db
    .updateTable("data_providers")
    .set({ connection_status: state })
    .where("id", "=", providerId)
    .where("connection_status", "<>", state)
    .execute();
}

/** Every provider's recorded connection state, for an adapter that starts from it. */
export async function providerStates(db: Kysely<Database>): Promise<Map<string, ConnectionState>> {
  const rows = await db.selectFrom("data_providers").select(["id", "connection_status"]).execute();
  return new Map(rows.map((row) => [row.id, row.connection_status as ConnectionState]));
}
