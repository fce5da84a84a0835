import { data } from "@remix-run/node";
import { z } from "zod";
import { DefaultsChangedError } from "#db/repositories/defaults";
import { PreferencesChangedError } from "#db/repositories/preferences-admin";
import { UndoRefusedError } from "#db/repositories/audit";
import { SymbolNotFoundError, SymbolRuleError, SymbolVersionConflictError } from "#db/repositories/symbols-errors";
import type { FieldErrors } from "./forms.server";

// What the console's write actions share: a size-limited form read (an oversized body is a 413
// before anything is parsed), the zod pieces every edit uses, and one mapping from the
// repositories' errors to HTTP answers the pages show beside the field.

export const MAX_FORM_BYTES = 64 * 1024;

/** The posted form, refusing bodies over `maxBytes` with 413 (declared or actual length). */
export async function readForm(request: Request, maxBytes = MAX_FORM_BYTES): Promise<FormData> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes)
    throw data({ message: `The form is too large (over ${maxBytes / 1024} KB).` }, { status: 413 });
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes)
    throw data({ message: `The form is too large (over ${maxBytes / 1024} KB).` }, { status: 413 });
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) {
    throw data({ message: "Send the form as application/x-www-form-urlencoded." }, { status: 415 });
  }
  const form = new FormData();
  for (const [key, value] of new URLSearchParams(text)) form.append(key, value);
  return form;
}

export const uuidField = (what: string) =>
  z
    .string({ error: `Choose a ${what}.` })
    .trim()
    .pipe(z.guid(`That is not a known ${what}.`));
export const versionField = z.coerce
  .number({ error: "The form is missing the symbol's version: reload the page." })
  .int()
  .positive("The form is missing the symbol's version: reload the page.");
export const priorityField = z
  .string({ error: "Enter a priority from 0 to 100." })
  .trim()
  .min(1, "Enter a priority from 0 to 100.")
  .regex(/^\d+$/, "The priority must be a whole number from 0 to 100.")
  .transform(Number)
  .pipe(z.number().int().min(0, "The priority must be at least 0.").max(100, "The priority can be at most 100."));
export const booleanField = z.enum(["true", "false"], { error: "Choose on or off." }).transform((v) => v === "true");

export interface ConflictBody {
  kind: "conflict";
  message: string;
  symbolId: string;
  current: {
    version: number;
    broadcast_priority: number;
    is_default_symbol: boolean;
    is_active: boolean;
    is_tracked: boolean;
    data_provider_id: string | null;
  };
  changedBy: string | null;
  changedAt: string | null;
}

export interface FieldErrorBody {
  kind: "invalid";
  message: string;
  fieldErrors: FieldErrors;
  symbolId?: string;
}

export interface RefusedBody {
  kind: "refused";
  message: string;
}

export type EditErrorBody = ConflictBody | FieldErrorBody | RefusedBody;

export const invalid = (fieldErrors: FieldErrors, symbolId?: string) =>
  data<FieldErrorBody>(
    { kind: "invalid", message: "Nothing was saved: check the highlighted field.", fieldErrors, symbolId },
    { status: 400 },
  );

/** The HTTP answer for a repository error, or null when it is not one of ours (then rethrow). */
export function answerFor(error: unknown, fallbackField = "form") {
  if (error instanceof SymbolVersionConflictError) {
    const c = error.current;
    return data<ConflictBody>(
      {
        kind: "conflict",
        message: error.message,
        symbolId: c.id,
        current: {
          version: c.version,
          broadcast_priority: c.broadcast_priority,
          is_default_symbol: c.is_default_symbol,
          is_active: c.is_active,
          is_tracked: c.is_tracked,
          data_provider_id: c.data_provider_id,
        },
        changedBy: error.lastChange?.by ?? null,
        changedAt: error.lastChange?.at ? new Date(error.lastChange.at).toISOString() : null,
      },
      { status: 409 },
    );
  }
  if (error instanceof SymbolRuleError)
    return invalid({ [error.field === "form" ? fallbackField : error.field]: error.message });
  if (error instanceof SymbolNotFoundError)
    return data<RefusedBody>({ kind: "refused", message: "That symbol does not exist (any more)." }, { status: 404 });
  if (error instanceof DefaultsChangedError || error instanceof PreferencesChangedError) {
    return data<RefusedBody>({ kind: "refused", message: error.message }, { status: 409 });
  }
  if (error instanceof UndoRefusedError)
    return data<RefusedBody>({ kind: "refused", message: error.message }, { status: 409 });
  return null;
}
