// The symbol fields staff may change from the console, how each is written into the audit log
// (as text, so one column holds every field's before and after) and read back for an undo.

export const EDITABLE_FIELDS = [
  "broadcast_priority",
  "is_default_symbol",
  "is_active",
  "is_tracked",
  "data_provider_id",
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

export interface SymbolChanges {
  broadcast_priority?: number;
  is_default_symbol?: boolean;
  is_active?: boolean;
  is_tracked?: boolean;
  data_provider_id?: string | null;
}

/** The editable state of one symbol plus what the rules need to judge a change. */
export interface SymbolState {
  id: string;
  ticker: string;
  market_id: string;
  version: number;
  display_order: number;
  broadcast_priority: number;
  is_default_symbol: boolean;
  is_active: boolean;
  is_tracked: boolean;
  data_provider_id: string | null;
}

export const PRIORITY_MIN = 0;
export const PRIORITY_MAX = 100;

/** Words people use for each field; also the audit page's field filter. */
export const FIELD_LABELS: Record<string, string> = {
  broadcast_priority: "Broadcast priority",
  is_default_symbol: "Default",
  is_active: "Active",
  is_tracked: "Tracked",
  data_provider_id: "Data provider",
  display_order: "Default order",
  "preference.display_order": "User preference order",
  "preference.is_pinned": "User preference pinned",
  "preference.is_visible": "User preference visible",
};

export const isEditableField = (field: string): field is EditableField =>
  (EDITABLE_FIELDS as readonly string[]).includes(field);

export function auditText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}

/** The typed value of an audit before/after text, for an undo. */
export function parseAuditText(field: EditableField, text: string | null): SymbolChanges[EditableField] {
  switch (field) {
    case "broadcast_priority":
      return Number(text);
    case "data_provider_id":
      return text;
    default:
      return text === "true";
  }
}
