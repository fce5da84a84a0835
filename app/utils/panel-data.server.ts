import { describeCheckError } from "#db/checks/index";
import { isSchemaMissing } from "#db/pg-errors";

// The console's quality, performance, migrations and readiness panels read parts of the schema
// that a rollback removes (the 20250108 columns, the view) or that a newer migration adds (the
// history tables). A missing table or column is an expected state there, not a crash: the part of
// the page that needs it says so and the rest of the page still shows.

export type PanelRead<T> = { ok: true; data: T } | { ok: false; message: string };

/** Runs one read; a missing table or column becomes a message, anything else is thrown on. */
export async function readPanel<T>(what: string, read: () => Promise<T>): Promise<PanelRead<T>> {
  try {
    return { ok: true, data: await read() };
  } catch (error) {
    if (!isSchemaMissing(error)) throw error;
    return { ok: false, message: `${what} cannot be read: ${describeCheckError(error)}` };
  }
}

/** A failure message for a person: the database's own words for a schema problem, never a stack. */
export function describeFailure(error: unknown, fallback: string): string {
  if (isSchemaMissing(error)) return describeCheckError(error);
  console.error(`[panel] ${fallback}:`, error);
  return fallback;
}
