import { redirect } from "@remix-run/node";
import { z } from "zod";
import { addDefault, removeDefault, saveDefaultOrder } from "#db/repositories/defaults";
import { answerFor, invalid, readForm, uuidField, versionField } from "~/utils/console-forms.server";
import { withDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms.server";
import { requireStaff } from "~/utils/permissions.server";

// Writes of /symbols/defaults: a new order (one transaction), add one, remove one.

const Item = z.string().regex(/^[0-9a-f-]{36}:\d+$/i, "The order is malformed: reload the page.");
const Schema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("add"), symbolId: uuidField("symbol"), version: versionField }),
    z.object({ intent: z.literal("remove"), symbolId: uuidField("symbol"), version: versionField }),
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
