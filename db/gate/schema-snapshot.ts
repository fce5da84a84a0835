import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";

// The live schema as lines a person can read and a diff can compare: every column with its type,
// every index with its definition, every constraint with its definition, every trigger, in the
// current schema. Bookkeeping of the migrator and the rollback's own backup table are left out:
// they are not what a migration "makes".

const LEFT_OUT = ["kysely_migration", "kysely_migration_lock", "migration_runs", "symbols_20250108_backup"];

export async function schemaSnapshot(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`
    select 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) as line
    from pg_attribute a join pg_class c on c.oid = a.attrelid
    where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
      and a.attnum > 0 and not a.attisdropped and c.relname <> all(${LEFT_OUT}::text[])
    union all
    select 'index ' || i.relname || ': ' || replace(pg_get_indexdef(i.oid), current_schema() || '.', '')
    from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
    where t.relnamespace = current_schema()::regnamespace and t.relname <> all(${LEFT_OUT}::text[])
    union all
    select 'constraint ' || t.relname || '.' || k.conname || ': ' || pg_get_constraintdef(k.oid)
    from pg_constraint k join pg_class t on t.oid = k.conrelid
    where t.relnamespace = current_schema()::regnamespace and t.relname <> all(${LEFT_OUT}::text[])
    union all
    select 'trigger ' || t.relname || '.' || g.tgname
    from pg_trigger g join pg_class t on t.oid = g.tgrelid
    where not g.tgisinternal and t.relnamespace = current_schema()::regnamespace
    order by 1`.execute(db);
  return rows.map((r) => r.line);
}

/** Indexes a killed CONCURRENTLY build left INVALID: present, but never used by a query. */
export async function invalidIndexes(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select i.relname as name from pg_index x join pg_class i on i.oid = x.indexrelid
    where i.relnamespace = current_schema()::regnamespace and not x.indisvalid order by 1`.execute(db);
  return rows.map((r) => r.name);
}
