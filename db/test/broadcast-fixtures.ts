import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

/** Forgets every broadcast stamp, so a test sees exactly what the next cycle stamps. */
export async function clearBroadcastStamps(db: Kysely<Database>): Promise<void> {
  await db.updateTable("symbols").set({ last_broadcast_at: null }).execute();
}
