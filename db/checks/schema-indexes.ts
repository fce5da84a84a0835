import { sql } from "kysely";
import { CATALOGUE_TABLES, EXPECTED_INDEXES, type ExpectedIndex } from "./catalogue-objects.js";
import { sqlCheck } from "./define.js";
import type { Check, CheckContext, OffendingRow } from "./types.js";

// An index can be missing (never built, dropped) or present but INVALID: a CREATE INDEX
// CONCURRENTLY that was interrupted leaves an index that is maintained on every write yet never
// used by the planner. Both look fine in a list of index names, so validity is checked too.

interface IndexState {
  index_name: string;
  table_name: string;
  is_valid: boolean;
  is_ready: boolean;
}

async function indexProblems(ctx: CheckContext, expected: ExpectedIndex): Promise<OffendingRow[]> {
  const { rows } = await sql<IndexState>`
    select c.relname as index_name, t.relname as table_name, i.indisvalid as is_valid, i.indisready as is_ready
    from pg_class c
    join pg_index i on i.indexrelid = c.oid
    join pg_class t on t.oid = i.indrelid
    where c.relname = ${expected.name} and c.relnamespace = current_schema()::regnamespace`.execute(ctx.db);
  const found = rows[0];
  const row = (problem: string): OffendingRow[] => [{ index_name: expected.name, table_name: expected.table, problem }];
  if (!found) return row("missing");
  if (found.table_name !== expected.table) return row(`built on table ${found.table_name}`);
  if (!found.is_valid || !found.is_ready)
    return row("invalid: an interrupted CREATE INDEX CONCURRENTLY left it unusable");
  return [];
}

const presentAndValid = (expected: ExpectedIndex): Check => ({
  id: `schema.index.${expected.name}`,
  title: `Index ${expected.name} on ${expected.table} is present and valid`,
  category: "schema",
  severity: "error",
  fixHint: `Run the migrations again: 20250108 drops an invalid ${expected.name} and rebuilds it CONCURRENTLY.`,
  offendingRows: (ctx) => indexProblems(ctx, expected),
});

export const indexChecks: readonly Check[] = [
  ...EXPECTED_INDEXES.map(presentAndValid),
  sqlCheck({
    id: "schema.no-invalid-indexes",
    title: "No invalid index on the catalogue tables",
    category: "schema",
    severity: "error",
    fixHint: "Drop each invalid index with DROP INDEX CONCURRENTLY and build it again CONCURRENTLY.",
    query: sql`
      select c.relname as index_name, t.relname as table_name
      from pg_index i
      join pg_class c on c.oid = i.indexrelid
      join pg_class t on t.oid = i.indrelid
      where t.relnamespace = current_schema()::regnamespace
        and t.relname = any(${[...CATALOGUE_TABLES]}::text[])
        and not (i.indisvalid and i.indisready)
      order by t.relname, c.relname`,
  }),
];
