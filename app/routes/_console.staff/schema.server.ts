import { z } from "zod";
import { STAFF_ROLES } from "#db/repositories/staff";
import { uuidField } from "~/utils/console-forms.server";
import { emailField } from "~/utils/forms.server";

// The /staff page's forms, one intent each.

const roleField = z.enum(STAFF_ROLES, { error: "Choose viewer, operator or admin." });
const staffId = uuidField("staff member");

export const StaffActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("invite"),
      displayName: z
        .string({ error: "Enter the person's name." })
        .trim()
        .min(1, "Enter the person's name.")
        .max(80, "Keep the name under 80 characters."),
      email: emailField,
      role: roleField,
    }),
    z.object({ intent: z.literal("role"), staffId, role: roleField }),
    z.object({ intent: z.literal("disable"), staffId }),
    z.object({ intent: z.literal("enable"), staffId }),
    z.object({ intent: z.literal("reset"), staffId }),
  ],
  { error: "Unknown action: reload the page and try again." },
);
