import { DEFAULT_SYMBOL_COUNT } from "#db/rules/defaults";
import { plural } from "./plural";

// What a change to the default set does to the rollback trigger "default symbols count != 9",
// in the words every confirmation uses (the row switch, the symbol page, /symbols/defaults and
// bulk deprecation). Null when the change leaves the count at the rule's number: nothing fires.

function triggerSentence(after: number): string {
  return (
    `That leaves ${plural(after, "default")} instead of ${DEFAULT_SYMBOL_COUNT}, ` +
    `which fires the rollback trigger on the default count: ` +
    `a red banner on every page until the count is ${DEFAULT_SYMBOL_COUNT} again.`
  );
}

/** Taking `removed` defaults off (switch, Remove, deprecation) while `count` are defaults. */
export function removalConsequence(count: number, removed = 1): string | null {
  const after = count - removed;
  return removed > 0 && after !== DEFAULT_SYMBOL_COUNT ? triggerSentence(after) : null;
}

/** Making one more symbol a default while `count` are defaults. */
export function additionConsequence(count: number): string | null {
  const after = count + 1;
  return after !== DEFAULT_SYMBOL_COUNT ? triggerSentence(after) : null;
}

/** Where a symbol made a default lands (see docs/console-ui.md, "Defaults keep their place"). */
export const ADDED_DEFAULT_PLACE =
  "A former default returns to the place it had; a symbol that never was one goes last.";

/** What a default taken off may expect when it is put back. */
export function putBackPlace(position: number | null): string {
  return position
    ? `Put back later, it returns to its place, #${position}.`
    : "Put back later, it returns to its place in the list.";
}
