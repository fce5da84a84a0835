import { redirect } from "@remix-run/node";
import { z } from "zod";
import { savePreferences } from "#db/repositories/preferences-admin";
import { answerFor, invalid, readForm } from "~/utils/console-forms.server";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";
import { uuidParam } from "~/utils/preconditions.server";

// Saving a user's preferences for a support case: the whole list in its new order, with pin and
// visibility per row, in one audited transaction.

const Ids = z
  .array(z.guid("A preference is malformed: reload the page."))
  .min(1, "There is nothing to save.")
  .max(1000);
const Stamp = z.string().regex(/^\d+:\d+$/, "The form is missing its version: reload the page.");

export const NO_USER = "There is no user at this address.";

export async function preferencesAction(request: Request, userId: string) {
  const staff = await requireStaff(request, "operator");
  uuidParam(userId, NO_USER);
  const form = await readForm(request, 256 * 1024);
  const ids = Ids.safeParse(form.getAll("items"));
  const stamp = Stamp.safeParse(form.get("stamp"));
  if (!ids.success) return invalid({ items: ids.error.issues[0]?.message ?? "Malformed list." });
  if (!stamp.success) return invalid({ stamp: stamp.error.issues[0]?.message ?? "Malformed form." });
  const items = ids.data.map((id) => ({
    id,
    isPinned: form.get(`pinned:${id}`) === "on",
    isVisible: form.get(`visible:${id}`) === "on",
  }));
  try {
    const { changed } = await withDb(async (conn) => {
      const saved = await savePreferences(conn.db, { staffId: staff.id, userId, stamp: stamp.data, items });
      // The staff member, and the user, read this list back from the primary for a while.
      await conn.wrote(`user:${userId}`);
      return saved;
    });
    if (form.get("nojs") === "1") throw redirect(`/users/${userId}/preview`);
    return { kind: "saved" as const, changed };
  } catch (error) {
    const answer = answerFor(error, "items");
    if (answer) return answer;
    throw error;
  }
}
