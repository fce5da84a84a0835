import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { addDefault, removeDefault, saveDefaultOrder } from "#db/repositories/defaults";
import { getSymbolState } from "#db/repositories/symbols-edit";
import { answerFor, invalid, readForm, uuidField, versionField } from "~/utils/console-forms.server";
import { withDb } from "~/utils/db.server";
import { defaultChangeToConfirm } from "~/utils/default-confirmation.server";
import { parseForm } from "~/utils/forms.server";
import { requireStaff } from "~/utils/permissions.server";

// Writes of /symbols/defaults: a new order (one transaction), add one, remove one. Adding or
// removing one that fires the rollback trigger on the default count asks first (confirm=yes).

export interface DefaultsConfirmBody {
  kind: "confirm";
  /** The change asked about, so the confirmation can post it again with confirm=yes. */
  intent: "add" | "remove";
  symbolId: string;
  ticker: string;
  version: number;
  message: string;
}

const Item = z.string().regex(/^[0-9a-f-]{36}:\d+$/i, "The order is malformed: reload the page.");
const oneSymbol = { symbolId: uuidField("symbol"), version: versionField, confirm: z.string().optional() };
const Schema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("add"), ...oneSymbol }),
    z.object({ intent: z.literal("remove"), ...oneSymbol }),
    z.object({ intent: z.literal("reorder") }),
  ],
  { error: "Unknown change: reload the page and try again." },
);

export async function defaultsAction(request: Request) {
  const staff = await requireStaff(request, "operator");
  const form = await readForm(request);
  const parsed = parseForm(Schema, form);
  if (!parsed.ok) return invalid(parsed.fieldErrors);
  const input = parsed.data;
  if (input.intent !== "reorder") {
    const message = await defaultChangeToConfirm(input.intent === "add", input.confirm);
    const symbol = message ? await withDb(({ db }) => getSymbolState(db, input.symbolId)) : null;
    // A symbol that is gone is refused below, by the write, as any other.
    if (message && symbol) {
      const { intent, symbolId, version } = input;
      return data<DefaultsConfirmBody>(
        { kind: "confirm", intent, symbolId, ticker: symbol.ticker, version, message },
        { status: 400 },
      );
    }
  }
  try {
    if (input.intent === "reorder") {
      const order = z
        .array(Item)
        .min(1, "The order is empty: reload the page.")
        .max(200)
        .safeParse(form.getAll("order"));
      if (!order.success) return invalid({ order: order.error.issues[0]?.message ?? "The order is malformed." });
      const items = order.data.map((v) => ({ id: v.slice(0, 36), version: Number(v.slice(37)) }));
      await withDb(({ db }) => saveDefaultOrder(db, { staffId: staff.id, order: items }));
    } else {
      const run = input.intent === "add" ? addDefault : removeDefault;
      await withDb(({ db }) => run(db, { staffId: staff.id, symbolId: input.symbolId, version: input.version }));
    }
  } catch (error) {
    const answer = answerFor(error, "order");
    if (answer) return answer;
    throw error;
  }
  if (form.get("nojs") === "1") throw redirect("/symbols/defaults");
  return { kind: "saved" as const, intent: input.intent };
}
