import { countDefaults } from "#db/repositories/defaults";
import { withDb } from "./db.server";
import { additionConsequence, removalConsequence } from "./default-consequences";

// The server's half of the confirmation before a change to the default set that fires the
// rollback trigger on the default count. The pages ask in a dialog first, but a page without
// JavaScript has no dialog and a page whose count is out of date asks nothing: every action that
// makes a symbol a default or takes one off asks here, and goes ahead only with confirm=yes.

/**
 * The consequence to confirm before making a symbol a default (`makeDefault`) or taking one off,
 * or null when the change fires nothing or `confirm` is "yes".
 */
export async function defaultChangeToConfirm(
  makeDefault: boolean,
  confirm: string | undefined,
): Promise<string | null> {
  if (confirm === "yes") return null;
  const count = await withDb(({ db }) => countDefaults(db));
  return makeDefault ? additionConsequence(count) : removalConsequence(count);
}
