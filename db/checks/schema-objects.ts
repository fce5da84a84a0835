import { sql } from "kysely";
import { EXPECTED_CONSTRAINTS, QUALITY_VIEW } from "./catalogue-objects.js";
import type { Check, CheckContext, OffendingRow } from "./types.js";

// Constraints of 20250108 are added NOT VALID and validated in a second step. A run stopped
// between the two leaves a constraint that guards new rows but was never checked against the old
// ones: present, yet no guarantee. So "present" is not enough; it must also be validated.

type ExpectedConstraint = (typeof EXPECTED_CONSTRAINTS)[number];

async function constraintProblems(ctx: CheckContext, expected: ExpectedConstraint): Promise<OffendingRow[]> {
  const { rows } = await sql<{ table_name: string; is_validated: boolean }>`
    select t.relname as table_name, c.convalidated as is_validated
    from pg_constraint c
    join pg_class t on t.oid = c.conrelid
    where c.conname = ${expected.name} and t.relnamespace = current_schema()::regnamespace`.execute(ctx.db);
  const row = (problem: string): OffendingRow[] => [
    { constraint_name: expected.name, table_name: expected.table, problem },
  ];
  const found = rows.find((r) => r.table_name === expected.table);
  if (!found) return row(rows[0] ? `found on table ${rows[0].table_name} only` : "missing");
  if (!found.is_validated) return row("NOT VALID: existing rows were never checked");
  return [];
}

const constraintCheck = (expected: ExpectedConstraint): Check => ({
  id: `schema.constraint.${expected.name}`,
  title: `Constraint ${expected.name} (${expected.rule}) is present and validated`,
  category: "schema",
  severity: "error",
  fixHint:
    `Fix the rows that break "${expected.rule}", then run the migrations again (they add the constraint NOT ` +
    `VALID and validate it).`,
  offendingRows: (ctx) => constraintProblems(ctx, expected),
});

const viewCheck: Check = {
  id: "schema.view.v_symbol_data_quality",
  title: `View ${QUALITY_VIEW} is present and answers`,
  category: "schema",
  severity: "error",
  fixHint: "Run the migrations again: 20250108 creates the view with CREATE OR REPLACE.",
  async offendingRows({ db }) {
    const { rows } = await sql`
      select 1 from pg_views where schemaname = current_schema() and viewname = ${QUALITY_VIEW}`.execute(db);
    if (rows.length === 0) return [{ view_name: QUALITY_VIEW, problem: "missing" }];
    // Reading it proves it still compiles against the current tables (the home page reads it).
    await sql`select metric, value from ${sql.id(QUALITY_VIEW)}`.execute(db);
    return [];
  },
};

export const constraintAndViewChecks: readonly Check[] = [...EXPECTED_CONSTRAINTS.map(constraintCheck), viewCheck];
