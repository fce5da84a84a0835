import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

/** Forgets every broadcast stamp, so a test sees exactly what the next cycle stamps. */
export async function clearBroadcastStamps(db: Kysely<Database>): Promise<void> {
  await db.updateTable("symbols").set({ last_broadcast_at: null }).execute();
}

/** How many symbols carry a broadcast stamp. */
export async function countStampedSymbols(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("symbols")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("last_broadcast_at", "is not", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
