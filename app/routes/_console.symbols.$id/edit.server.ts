import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { undoAuditEntry } from "#db/repositories/audit";
import { editSymbol } from "#db/repositories/symbols-edit";
import type { SymbolChanges } from "#db/repositories/symbols-fields";
import {
  answerFor,
  booleanField,
  invalid,
  priorityField,
  readForm,
  uuidField,
  versionField,
} from "~/utils/console-forms.server";
import { withDb } from "~/utils/db.server";
import { defaultChangeToConfirm } from "~/utils/default-confirmation.server";
import { parseForm } from "~/utils/forms.server";
import { requireStaff, safeRedirect } from "~/utils/permissions.server";
import { uuidParam } from "~/utils/preconditions.server";

// The one action behind every single-symbol edit: the row controls of /symbols (fetchers) and
// the forms of /symbols/:id (with or without JavaScript) all post here with an `intent`.

const withVersion = { version: versionField };
const EditSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("priority"), priority: priorityField, ...withVersion }),
    z.object({ intent: z.literal("default"), value: booleanField, confirm: z.string().optional(), ...withVersion }),
    z.object({ intent: z.literal("active"), value: booleanField, confirm: z.string().optional(), ...withVersion }),
    z.object({ intent: z.literal("tracked"), value: booleanField, ...withVersion }),
    z.object({ intent: z.literal("provider"), providerId: uuidField("data provider"), ...withVersion }),
    z.object({ intent: z.literal("undo"), auditId: uuidField("audit entry") }),
  ],
  { error: "Unknown change: reload the page and try again." },
);

export type EditIntent = z.infer<typeof EditSchema>["intent"];

export const NO_SYMBOL = "There is no symbol at this address.";

export interface ConfirmBody {
  kind: "confirm";
  /** The change asked about, so the confirmation can post it again with confirm=yes. */
  intent: "active" | "default";
  value: boolean;
  message: string;
}

export async function symbolEditAction(request: Request, symbolId: string) {
  const staff = await requireStaff(request, "operator");
  uuidParam(symbolId, NO_SYMBOL);
  const form = await readForm(request);
  const parsed = parseForm(EditSchema, form);
  if (!parsed.ok) {
    const { intent: intentError, ...rest } = parsed.fieldErrors;
    return invalid(intentError ? { form: intentError, ...rest } : rest, symbolId);
  }
  const input = parsed.data;
  if (input.intent === "active" && !input.value && input.confirm !== "yes") {
    // Without JavaScript there was no dialog: the page asks once more, naming the consequence.
    return data<ConfirmBody>(
      {
        kind: "confirm",
        intent: "active",
        value: false,
        message: "Deprecating stops broadcasting this symbol and, if it is a default, removes it from the defaults.",
      },
      { status: 400 },
    );
  }
  if (input.intent === "default") {
    // The page confirms in a dialog first; the server asks too (defaultChangeToConfirm).
    const message = await defaultChangeToConfirm(input.value, input.confirm);
    if (message)
      return data<ConfirmBody>({ kind: "confirm", intent: "default", value: input.value, message }, { status: 400 });
  }
  const changes: SymbolChanges = {};
  if (input.intent === "priority") changes.broadcast_priority = input.priority;
  if (input.intent === "default") changes.is_default_symbol = input.value;
  if (input.intent === "active") changes.is_active = input.value;
  if (input.intent === "tracked") changes.is_tracked = input.value;
  if (input.intent === "provider") changes.data_provider_id = input.providerId;

  let result;
  try {
    result = await withDb(({ db }) =>
      input.intent === "undo"
        ? undoAuditEntry(db, { staffId: staff.id, auditId: input.auditId })
        : editSymbol(db, { staffId: staff.id, symbolId, version: input.version, changes }),
    );
  } catch (error) {
    const answer = answerFor(error);
    if (answer) return answer;
    throw error;
  }
  const back = form.get("redirectTo");
  if (typeof back === "string" && back) throw redirect(safeRedirect(back, `/symbols/${symbolId}`));
  return { kind: "saved" as const, intent: input.intent, fields: result.changedFields };
}
