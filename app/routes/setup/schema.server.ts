import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "#db/repositories/staff";
import { emailField } from "~/utils/forms.server";

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
    password: z
      .string({ error: "Choose a password." })
      .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
      .refine((p) => new TextEncoder().encode(p).length <= 72, "Use at most 72 bytes (bcrypt ignores the rest)."),
    confirmPassword: z.string({ error: "Repeat the password." }),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The passwords do not match.",
  });
