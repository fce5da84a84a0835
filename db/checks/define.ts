import type { RawBuilder } from "kysely";
import type { Check, OffendingRow } from "./types.js";

/** Everything about a check except how it finds its rows. */
export type CheckDefinition = Omit<Check, "offendingRows">;

/**
 * A check that is one SQL query: every row it returns is an offending row. Keeping the query
 * beside the check's id and hint is what makes the checks data rather than code.
 */
export function sqlCheck(definition: CheckDefinition & { query: RawBuilder<unknown> }): Check {
  const { query, ...check } = definition;
  // A SELECT's rows are always objects; the column names are the check's own choice.
  return { ...check, offendingRows: async ({ db }) => (await query.execute(db)).rows as OffendingRow[] };
}
