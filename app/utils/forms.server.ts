import { z } from "zod";
import { passwordProblem } from "#db/rules/password";

// Form parsing shared by every action: one zod schema per form, field messages keyed by field
// name so each message can sit beside its input.

export type FieldErrors = Partial<Record<string, string>>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors };

export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): Parsed<z.output<S>> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of formData) if (typeof value === "string") values[key] = value;
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    fieldErrors[field] ??= issue.message;
  }
  return { ok: false, fieldErrors };
}

export const emailField = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

/**
 * The password rule (db/rules/password.ts) and the repeat check, for every form that sets a new
 * password. `personal` is what the estimator tries first for this account (email, name).
 */
export function refineNewPassword(
  value: { password: string; confirmPassword: string },
  ctx: z.RefinementCtx,
  personal: readonly string[] = [],
): void {
  const problem = passwordProblem(value.password, personal);
  if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  else if (value.password !== value.confirmPassword) {
    ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "The passwords do not match." });
  }
}

/** The two fields of a new password; the rule itself is applied by `refineNewPassword`. */
export const newPasswordFields = {
  password: z.string({ error: "Choose a password." }).min(1, "Choose a password."),
  confirmPassword: z.string({ error: "Repeat the password." }),
};
