import { z } from "zod";
import { emailField, newPasswordFields, refineNewPassword } from "~/utils/forms.server";

export const SetupSchema = z
  .object({
    displayName: z
      .string({ error: "Enter your name." })
      .trim()
      .min(1, "Enter your name.")
      .max(80, "Keep the name under 80 characters."),
    email: emailField,
    ...newPasswordFields,
  })
  .superRefine((value, ctx) => refineNewPassword(value, ctx, [value.email, value.displayName]));
