import { z } from "zod";
import { emailField, newPasswordFields, refineNewPassword } from "~/utils/forms.server";

export const SetupSchema = z
  .object({
    setupCode: z
      .string({ error: "Enter the setup code the server printed in its terminal." })
      .trim()
      .min(1, "Enter the setup code the server printed in its terminal.")
      .max(64, "That is not a setup code: it has four groups of five letters and digits."),
    displayName: z
      .string({ error: "Enter your name." })
      .trim()
      .min(1, "Enter your name.")
      .max(80, "Keep the name under 80 characters."),
    email: emailField,
    ...newPasswordFields,
  })
  .superRefine((value, ctx) => refineNewPassword(value, ctx, [value.email, value.displayName]));
