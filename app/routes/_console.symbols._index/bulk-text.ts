import { removalConsequence } from "~/utils/default-consequences";
import { plural } from "~/utils/plural";

// The sentence a bulk confirmation shows, on the server (no-JavaScript confirmation page) and in
// the dialog alike, so both state the same count and consequence.

export const BULK_OPERATIONS = ["priority", "provider", "deprecate", "track", "untrack"] as const;
export type BulkOperation = (typeof BULK_OPERATIONS)[number];

export const BULK_LABELS: Record<BulkOperation, string> = {
  priority: "Set priority",
  provider: "Set data provider",
  deprecate: "Deprecate",
  track: "Track",
  untrack: "Untrack",
};

/** The default set as the confirmation needs it: how many are selected, and how many there are. */
export interface BulkDefaults {
  selected: number;
  total: number;
}

function deprecationOfDefaults({ selected, total }: BulkDefaults): string {
  if (selected === 0) return "None of them is a default.";
  const which = selected === 1 ? "1 of them is a default: it leaves" : `${selected} of them are defaults: they leave`;
  const trigger = removalConsequence(total, selected);
  return `${which} the defaults anonymous users see.${trigger ? ` ${trigger}` : ""}`;
}

export function describeBulk(
  operation: BulkOperation,
  count: number,
  priority?: number | string,
  defaults?: BulkDefaults,
): string {
  const rows = plural(count, "symbol");
  switch (operation) {
    case "priority":
      return `Set the broadcast priority of ${rows} to ${priority}.`;
    case "provider":
      return `Assign the chosen data provider to ${rows}. Every one must belong to that provider's market.`;
    case "deprecate":
      return `Deprecate ${rows}. ${defaults ? deprecationOfDefaults(defaults) : "Any default among them is removed from the defaults."}`;
    case "track":
      return `Start tracking ${rows}.`;
    case "untrack":
      return `Stop tracking ${rows}: they leave the broadcast queue.`;
  }
}
