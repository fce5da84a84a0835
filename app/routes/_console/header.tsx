import { Form, useLocation, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import type { StaffRole } from "#db/schema";
import { Logo } from "~/components/logo";
import { Button } from "~/components/button";
import { cx } from "~/components/classes";
import { useInAppLinks } from "~/components/use-in-app-links";

// Only pages that exist go in here; a page with `admin` is listed for admins only.
const NAV: ReadonlyArray<{ to: string; label: string; end: boolean; admin?: true }> = [
  { to: "/", label: "Home", end: true },
  { to: "/symbols", label: "Symbols", end: true },
  { to: "/symbols/defaults", label: "Defaults", end: false },
  { to: "/broadcast", label: "Broadcast", end: false },
  { to: "/providers", label: "Providers", end: false },
  { to: "/audit", label: "Audit", end: false },
  { to: "/users", label: "Users", end: false },
  { to: "/api-docs", label: "API", end: false },
  { to: "/quality", label: "Quality", end: false },
  { to: "/performance", label: "Performance", end: false },
  { to: "/migrations", label: "Migrations", end: false },
  { to: "/readiness", label: "Readiness", end: false },
  { to: "/staff", label: "Staff", end: false, admin: true },
];

const ROLE_STYLES: Record<StaffRole, string> = {
  viewer: "bg-slate-700 text-slate-200 ring-slate-600",
  operator: "bg-sky-900/70 text-sky-200 ring-sky-700",
  admin: "bg-amber-900/60 text-amber-200 ring-amber-700",
};

/** The page is `to`, or (unless `end`) one below it: what NavLink would mark as current. */
const isCurrent = (pathname: string, to: string, end: boolean) =>
  pathname === to || (!end && pathname.startsWith(`${to}/`));

interface Props {
  staff: { displayName: string; email: string; role: StaffRole };
}

export function ConsoleHeader({ staff }: Props) {
  const navigation = useNavigation();
  const signingOut = navigation.state !== "idle" && navigation.formAction === "/logout";
  // Plain links followed in the app (use-in-app-links.ts): a NavLink each ran the router's hooks
  // for fourteen links on every page.
  const { pathname } = useLocation();
  const links = useRef<HTMLElement>(null);
  useInAppLinks(links);
  return (
    <header ref={links} data-fixed-palette className="border-b border-slate-800 bg-slate-900 text-slate-100">
      {/* Twelve pages do not fit beside the account within max-w-7xl: the nav takes a row of its own. */}
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-3 px-4 sm:gap-x-6 sm:px-6">
        <a
          href="/"
          className={cx(
            "flex h-12 items-center gap-2 rounded-sm focus:outline-none",
            "focus-visible:ring-2 focus-visible:ring-indigo-400",
          )}
        >
          <Logo className="size-6" />
          <span className="text-sm font-semibold tracking-tight whitespace-nowrap">Symbol Desk</span>
        </a>
        <nav
          aria-label="Main"
          className="order-last -mx-3 flex h-10 w-[calc(100%+1.5rem)] min-w-0 items-stretch overflow-x-auto"
        >
          <ul className="flex items-stretch gap-1">
            {NAV.filter((item) => !item.admin || staff.role === "admin").map((item) => {
              const current = isCurrent(pathname, item.to, item.end);
              return (
                <li key={item.to} className="flex">
                  <a
                    href={item.to}
                    aria-current={current ? "page" : undefined}
                    className={cx(
                      "flex items-center border-b-2 px-3 text-[13px] font-medium",
                      "focus:outline-none focus-visible:bg-slate-800 focus-visible:ring-2",
                      "focus-visible:ring-indigo-400 focus-visible:ring-inset",
                      current ? "border-indigo-400 text-white" : "border-transparent text-slate-300 hover:text-white",
                    )}
                  >
                    {item.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-2 sm:gap-3">
          <a
            href="/account"
            aria-current={pathname === "/account" ? "page" : undefined}
            className={cx(
              "rounded-sm text-right leading-tight focus:outline-none focus-visible:ring-2",
              "focus-visible:ring-indigo-400",
            )}
          >
            <span className="hidden sm:block">
              <span className="block text-[13px] font-medium text-white">{staff.displayName}</span>
              <span className="block text-[11px] text-slate-400">{staff.email}</span>
              {/* Named by what it shows (axe: label-content-name-mismatch), then where it leads. */}
              <span className="sr-only"> (your account)</span>
            </span>
            <span className="text-[13px] text-slate-200 underline sm:hidden">Account</span>
          </a>
          <span
            className={
              `rounded px-1.5 py-0.5 text-[11px] font-semibold tracking-wide uppercase ring-1 ring-inset ` +
              `${ROLE_STYLES[staff.role]}`
            }
          >
            <span className="sr-only">Role: </span>
            {staff.role}
          </span>
          <Form method="post" action="/logout">
            <Button type="submit" variant="inverse" size="sm" pending={signingOut} pendingText="Signing out…">
              Sign out
            </Button>
          </Form>
        </div>
      </div>
    </header>
  );
}
