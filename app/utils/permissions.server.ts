import { data, redirect } from "@remix-run/node";
import { getStaffBySession, roleAtLeast, type StaffRole, type StaffUser } from "#db/repositories/staff";
import { withDb } from "./db.server";
import { destroySessionCookie, readSessionId, SECURE_SESSION_COOKIE, SESSION_COOKIE } from "./session.server";

// The one permission check, called first in every loader and action (sign-in, setup and
// sign-out check their own preconditions). Anonymous → sign-in page; too low a role → 403.

export type { StaffRole, StaffUser };

export interface ForbiddenBody {
  message: string;
  requiredRole: StaffRole;
}

// A page's loaders (the console layout's and the page's own) run in parallel, each with its own
// copy of the Request (Remix makes a new one without ?index for every loader). So one Request's
// calls share its lookup, and so do lookups of one session that overlap: a page costs one. A
// lookup that starts after another has finished asks again, so a revoked session is seen at once.
const staffByRequest = new WeakMap<Request, Promise<StaffUser | null>>();
const lookupsInFlight = new Map<string, Promise<StaffUser | null>>();

/** The signed-in staff member, or null (an unknown or expired session counts as signed out). */
export function getOptionalStaff(request: Request): Promise<StaffUser | null> {
  let staff = staffByRequest.get(request);
  if (!staff) {
    staff = lookUpStaff(request);
    staffByRequest.set(request, staff);
  }
  return staff;
}

async function lookUpStaff(request: Request): Promise<StaffUser | null> {
  const sid = await readSessionId(request);
  if (!sid) return null;
  let lookup = lookupsInFlight.get(sid);
  if (!lookup) {
    lookup = withDb(({ db }) => getStaffBySession(db, sid)).finally(() => lookupsInFlight.delete(sid));
    lookupsInFlight.set(sid, lookup);
  }
  return lookup;
}

/** Where sign-in should send the visitor back to: the path they asked for. */
export function loginUrl(request: Request): string {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return back === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo: back })}`;
}

export async function requireStaff(request: Request, minRole: StaffRole = "viewer"): Promise<StaffUser> {
  const staff = await getOptionalStaff(request);
  if (!staff) {
    // A stale cookie (expired or revoked session) is cleared on the way out.
    const cookies = request.headers.get("Cookie") ?? "";
    const stale = cookies.includes(`${SESSION_COOKIE}=`) || cookies.includes(`${SECURE_SESSION_COOKIE}=`);
    throw redirect(
      loginUrl(request),
      stale ? { headers: { "Set-Cookie": await destroySessionCookie(request) } } : undefined,
    );
  }
  if (!roleAtLeast(staff.role, minRole)) {
    throw data<ForbiddenBody>(
      { message: `This needs the ${minRole} role; you are signed in as ${staff.role}.`, requiredRole: minRole },
      { status: 403 },
    );
  }
  return staff;
}

/**
 * A redirect target from user input, accepted only when it is a path on this site, before and
 * after normalisation: "//evil.com", "/\\evil.com", "/.//evil.com" and absolute URLs fall back to "/".
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  try {
    const url = new URL(to, "http://local.invalid");
    if (url.origin !== "http://local.invalid") return fallback;
    if (url.pathname === "/login" || url.pathname === "/logout" || url.pathname === "/setup") return fallback;
    // Checked again after normalising: "/./" + "/evil.example" and "/a/..//x" become "//…",
    // which a browser reads as another host.
    const result = `${url.pathname}${url.search}${url.hash}`;
    if (result.startsWith("//") || result.startsWith("/\\")) return fallback;
    return result;
  } catch {
    return fallback;
  }
}
