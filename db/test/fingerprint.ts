import { type Kysely, sql } from "kysely";

/** An md5 over every row of a table (all columns, ordered by id): equal means no value changed. */
export async function tableChecksum(db: Kysely<any>, table: string): Promise<string> {
  const { rows } = await sql<{ checksum: string | null }>`
    select md5(coalesce(string_agg(row_to_json(t)::text, '|' order by t.id), '')) as checksum
    from ${sql.table(table)} t`.execute(db);
  return rows[0]?.checksum ?? "";
}

export async function columnNames(db: Kysely<any>, table: string): Promise<string[]> {
  const { rows } = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by column_name`.execute(db);
  return rows.map((r) => r.column_name);
}

export async function tableExists(db: Kysely<any>, table: string): Promise<boolean> {
  const { rows } = await sql`select 1 from information_schema.tables
    where table_schema = current_schema() and table_name = ${table}`.execute(db);
  return rows.length > 0;
}

/** Names of the indexes a plan uses, from EXPLAIN (FORMAT JSON). */
/** The nodes of a query's plan, outermost first: their type and, for index scans, the index. */
export async function planNodes(
  db: Kysely<any>,
  query: { sql: string; parameters: readonly unknown[] },
): Promise<{ type: string; index?: string }[]> {
  const compiled = {
    sql: `explain (format json) ${query.sql}`,
    parameters: query.parameters,
    query: { kind: "RawNode" },
  };
  const result = await db.executeQuery<{ "QUERY PLAN": unknown }>(compiled as never);
  const plan = result.rows[0]?.["QUERY PLAN"];
  const parsed = typeof plan === "string" ? JSON.parse(plan) : plan;
  const nodes: { type: string; index?: string }[] = [];
  const walk = (node: Record<string, unknown>) => {
    nodes.push({
      type: String(node["Node Type"]),
      ...(typeof node["Index Name"] === "string" ? { index: node["Index Name"] } : {}),
    });
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk((parsed as { Plan: Record<string, unknown> }[])[0]!.Plan);
  return nodes;
}

export async function indexesUsedBy(
  db: Kysely<any>,
  query: { sql: string; parameters: readonly unknown[] },
): Promise<string[]> {
  return (await planNodes(db, query)).flatMap((node) => (node.index ? [node.index] : []));
}
