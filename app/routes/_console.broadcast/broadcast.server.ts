import { data } from "@remix-run/node";
import { z } from "zod";
import { listControlEvents, readControl, setPaused } from "#db/broadcast/control";
import { broadcasterHealth } from "#db/broadcast/health";
import { listBroadcastQueue } from "#db/queries/broadcast-list";
import { listProviderStates } from "#db/repositories/providers";
import { roleAtLeast, type StaffUser } from "#db/repositories/staff";
import { readForm } from "~/utils/console-forms.server";
import { withDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms.server";

// The /broadcast page's data: the broadcaster's live figures (as the running broadcaster last
// wrote them, whichever process it is in), the pause switch and its history, the providers'
// connection state, and the seed's broadcast query as it stands now.

export async function broadcastPageData(staff: StaffUser) {
  return withDb(async ({ db }) => {
    // The reads are independent: side by side on the pool, the queue's own time measured alone.
    const timedQueue = async () => {
      const started = performance.now();
      const rows = await listBroadcastQueue(db);
      return { rows, queryMs: Math.round((performance.now() - started) * 10) / 10 };
    };
    const [queue, health, control, events, providers] = await Promise.all([
      timedQueue(),
      broadcasterHealth(db),
      readControl(db),
      listControlEvents(db, 5),
      listProviderStates(db),
    ]);
    return {
      // What the table shows of each row, so the page carries no more than it draws.
      queue: queue.rows.map((row) => ({
        id: row.id,
        ticker: row.ticker,
        broadcast_priority: row.broadcast_priority,
        last_broadcast_at: row.last_broadcast_at,
        market_code: row.market_code,
        websocket_url: row.websocket_url,
        provider_code: row.provider_code,
        connection_status: row.connection_status,
      })),
      queryMs: queue.queryMs,
      measuredAt: new Date().toISOString(),
      health,
      control,
      events,
      providers,
      canSteer: roleAtLeast(staff.role, "admin"),
    };
  });
}

const steerSchema = z.object({
  intent: z.enum(["pause", "resume"], { error: "Choose pause or resume." }),
  reason: z
    .string()
    .trim()
    .max(200, "At most 200 characters.")
    .optional()
    .transform((v) => (v ? v : null)),
});

export async function steerBroadcaster(request: Request, staff: StaffUser) {
  const parsed = parseForm(steerSchema, await readForm(request));
  if (!parsed.ok) return data({ kind: "invalid" as const, fieldErrors: parsed.fieldErrors }, { status: 400 });
  const paused = parsed.data.intent === "pause";
  const changed = await withDb(({ db }) => setPaused(db, { paused, staffId: staff.id, reason: parsed.data.reason }));
  return { kind: "saved" as const, paused, changed };
}
