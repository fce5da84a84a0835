import { z } from "zod";
import { emailField } from "~/utils/forms.server";

export const LoginSchema = z.object({
  email: emailField,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password."),
  redirectTo: z.string().optional(),
});
