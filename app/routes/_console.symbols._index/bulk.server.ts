import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { countDefaults } from "#db/repositories/defaults";
import { bulkEditSymbols, MAX_BULK_ROWS } from "#db/repositories/symbols-edit";
import type { SymbolChanges } from "#db/repositories/symbols-fields";
import { answerFor, invalid, priorityField, readForm, uuidField } from "~/utils/console-forms.server";
import { withDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms.server";
import { requireStaff, safeRedirect } from "~/utils/permissions.server";
import { describeBulk } from "./bulk-text";

// Bulk changes on the selected rows of /symbols: one transaction, all or nothing, and only after
// a confirmation that states how many rows change (a dialog with JavaScript, a second page
// without it).

const Selected = z
  .array(z.string().regex(/^[0-9a-f-]{36}:\d+$/i, "A selected row is malformed: reload the page."))
  .min(1, "Select at least one symbol.")
  .max(MAX_BULK_ROWS, `Select at most ${MAX_BULK_ROWS} symbols for one bulk change.`);

const BulkSchema = z.discriminatedUnion(
  "operation",
  [
    z.object({ operation: z.literal("priority"), priority: priorityField }),
    z.object({ operation: z.literal("provider"), providerId: uuidField("data provider") }),
    z.object({ operation: z.literal("deprecate") }),
    z.object({ operation: z.literal("track") }),
    z.object({ operation: z.literal("untrack") }),
  ],
  { error: "Choose a bulk action." },
);

export interface BulkConfirmBody {
  kind: "confirm";
  message: string;
  fields: Array<[string, string]>;
}

export async function bulkAction(request: Request) {
  const staff = await requireStaff(request, "operator");
  const form = await readForm(request);
  const selected = Selected.safeParse(form.getAll("ids"));
  if (!selected.success) return invalid({ ids: selected.error.issues[0]?.message ?? "Select at least one symbol." });
  const parsed = parseForm(BulkSchema, form);
  if (!parsed.ok) return invalid(parsed.fieldErrors);
  const input = parsed.data;
  const items = selected.data.map((value) => {
    const [id, version] = value.split(":");
    return { id: id!, version: Number(version) };
  });
  const changes: SymbolChanges = {};
  if (input.operation === "priority") changes.broadcast_priority = input.priority;
  if (input.operation === "provider") changes.data_provider_id = input.providerId;
  if (input.operation === "deprecate") changes.is_active = false;
  if (input.operation === "track") changes.is_tracked = true;
  if (input.operation === "untrack") changes.is_tracked = false;

  if (form.get("confirm") !== "yes") {
    const defaults =
      input.operation === "deprecate"
        ? await withDb(async ({ db }) => {
            const ids = items.map((i) => i.id);
            const [selectedDefaults, total] = await Promise.all([countDefaults(db, ids), countDefaults(db)]);
            return { selected: selectedDefaults, total };
          })
        : undefined;
    return data<BulkConfirmBody>(
      {
        kind: "confirm",
        message: describeBulk(
          input.operation,
          items.length,
          input.operation === "priority" ? input.priority : undefined,
          defaults,
        ),
        fields: [...form.entries()].filter(([, v]) => typeof v === "string").map(([k, v]) => [k, String(v)]),
      },
      { status: 400 },
    );
  }
  try {
    const { changed } = await withDb(({ db }) => bulkEditSymbols(db, { staffId: staff.id, items, changes }));
    const back = form.get("redirectTo");
    if (typeof back === "string" && back) {
      const url = new URL(safeRedirect(back, "/symbols"), "http://local.invalid");
      url.searchParams.set("bulkChanged", String(changed));
      return redirect(`${url.pathname}${url.search}`);
    }
    return { kind: "saved" as const, changed };
  } catch (error) {
    const answer = answerFor(error, "ids");
    if (answer) return answer;
    throw error;
  }
}
