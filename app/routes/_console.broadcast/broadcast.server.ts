import { data } from "@remix-run/node";
import { z } from "zod";
import { listControlEvents, readControl, setPaused } from "#db/broadcast/control";
import { broadcasterHealth } from "#db/broadcast/health";
import { listBroadcastQueue } from "#db/queries/broadcast-list";
import { listProvidersOverview } from "#db/repositories/providers";
import { roleAtLeast, type StaffUser } from "#db/repositories/staff";
import { readForm } from "~/utils/console-forms.server";
import { withDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms.server";

// The /broadcast page's data: the broadcaster's live figures (as the running broadcaster last
// wrote them, whichever process it is in), the pause switch and its history, the providers'
// connection state, and the seed's broadcast query as it stands now.

export async function broadcastPageData(staff: StaffUser) {
  return withDb(async ({ db }) => {
    const started = performance.now();
    const queue = await listBroadcastQueue(db);
    const queryMs = Math.round((performance.now() - started) * 10) / 10;
    const [health, control, events, providers] = await Promise.all([
      broadcasterHealth(db),
      readControl(db),
      listControlEvents(db, 5),
      listProvidersOverview(db),
    ]);
    return {
      queue,
      queryMs,
      measuredAt: new Date().toISOString(),
      health,
      control,
      events,
      providers: providers.map((p) => ({ id: p.id, code: p.code, market: p.market_code, status: p.connection_status })),
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
