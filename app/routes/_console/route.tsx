import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { RollbackBanner } from "~/components/rollback-banner";
import { requireStaff } from "~/utils/permissions.server";
import { getRollbackTriggers } from "~/utils/readiness.server";
import { ConsoleHeader } from "./header";
import { cx, focusRing } from "~/components/classes";

// The signed-in shell: navigation bar on top, the page below. Every page inside it also calls
// requireStaff itself (loaders run in parallel, so this one cannot guard them).

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "viewer");
  // The seed's rollback triggers raise a red banner on every page while one fires (cached briefly).
  const triggers = await getRollbackTriggers();
  return {
    staff: { displayName: staff.display_name, email: staff.email, role: staff.role },
    triggers,
    triggersReadAt: Date.now(),
  };
}

export default function ConsoleLayout() {
  const { staff, triggers, triggersReadAt } = useLoaderData<typeof loader>();
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className={cx(
          "sr-only z-50 rounded-md bg-white px-3 py-2 font-medium text-indigo-700",
          "shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2",
          focusRing,
        )}
      >
        Skip to main content
      </a>
      <ConsoleHeader staff={staff} />
      <RollbackBanner triggers={triggers} readAt={triggersReadAt} />
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 focus:outline-none sm:px-6">
        <Outlet />
      </main>
      <footer className="border-t border-slate-200 py-3 text-center text-xs text-slate-500">
        Symbol Desk · internal console of the myTrader platform
      </footer>
    </div>
  );
}
