import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/utils/permissions.server";
import { getRollbackTriggers } from "~/utils/readiness.server";

// GET /rollback-triggers: the banner's triggers for an open console page, which asks twice a
// second (app/components/rollback-banner.tsx) so the banner follows a change without a reload.
// The triggers an operator flips are read afresh; the rest come from the shared snapshot.

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  return Response.json(
    { triggers: await getRollbackTriggers(), readAt: Date.now() },
    { headers: { "cache-control": "no-store" } },
  );
}
