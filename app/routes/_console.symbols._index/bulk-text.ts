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

export function describeBulk(operation: BulkOperation, count: number, priority?: number | string): string {
  const rows = `${count} symbol${count === 1 ? "" : "s"}`;
  switch (operation) {
    case "priority":
      return `Set the broadcast priority of ${rows} to ${priority}.`;
    case "provider":
      return `Assign the chosen data provider to ${rows}. Every one must belong to that provider's market.`;
    case "deprecate":
      return `Deprecate ${rows}. Any default among them is removed from the defaults.`;
    case "track":
      return `Start tracking ${rows}.`;
    case "untrack":
      return `Stop tracking ${rows}: they leave the broadcast queue.`;
  }
}
