import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";

// What the stored page snapshots' tests read and change directly: when a shared result was
// stored, its age, and a catalogue change the figures should not show until a refresh.

/** When the shared result under `key` was stored, or null when none is. */
export async function sharedResultStoredAt(db: Kysely<Database>, key: string): Promise<Date | null> {
  const { rows } = await sql<{ at: Date }>`
    select computed_at as at from symbol_desk_shared_results where key = ${key}`.execute(db);
  return rows[0]?.at ?? null;
}

/** Makes the shared result under `key` an hour old, so a background refresh finds it due. */
export async function ageSharedResult(db: Kysely<Database>, key: string): Promise<void> {
  await sql`update symbol_desk_shared_results set computed_at = now() - interval '1 hour' where key = ${key}`.execute(
    db,
  );
}

/** Forgets every stored page snapshot, as on a fresh install. */
export async function forgetPageSnapshots(db: Kysely<Database>): Promise<void> {
  await sql`delete from symbol_desk_shared_results where key like 'page:%'`.execute(db);
}

/** An active symbol that is not a default: one whose state can change without firing a trigger. */
export async function spareActiveTicker(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ ticker: string }>`
    select ticker from symbols where is_active and not is_default_symbol order by ticker limit 1`.execute(db);
  return rows[0]!.ticker;
}

export async function setSymbolActive(db: Kysely<Database>, ticker: string, active: boolean): Promise<void> {
  await sql`update symbols set is_active = ${active} where ticker = ${ticker}`.execute(db);
}
