import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { deleteStaffSession } from "#db/repositories/staff";
import { withDb } from "~/utils/db.server";
import { destroySessionCookie, readSessionId } from "~/utils/session.server";

// Sign-out is a POST (the button in the navigation bar). A GET only sends the visitor home, so a
// link or an image tag elsewhere cannot sign anyone out.

export async function loader() {
  throw redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const sid = await readSessionId(request);
  // Deleting the row is what ends the session: a copy of the cookie is worthless from now on.
  if (sid) await withDb(({ db }) => deleteStaffSession(db, sid));
  throw redirect("/login", { headers: { "Set-Cookie": await destroySessionCookie(request) } });
}
