import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.js";

// Results the leading instance stores for every instance to read (see leadership.ts).

export interface SharedResult<T> {
  value: T;
  computedAt: Date;
  computedBy: string;
}

/** Stores the result and answers the time it was stored at (the database's clock). */
export async function storeSharedResult(db: Kysely<Database>, key: string, value: unknown, by: string): Promise<Date> {
  const { rows } = await sql<{ computed_at: Date }>`
    insert into symbol_desk_shared_results (key, value, computed_at, computed_by)
    values (${key}, ${JSON.stringify(value)}::jsonb, now(), ${by})
    on conflict (key) do update set value = excluded.value, computed_at = excluded.computed_at,
      computed_by = excluded.computed_by
    returning computed_at`.execute(db);
  return rows[0]!.computed_at;
}

/** The stored result, or null when there is none or the table is absent (rolled back). */
export async function readSharedResult<T>(db: Kysely<Database>, key: string): Promise<SharedResult<T> | null> {
  try {
    const { rows } = await sql<{ value: T; computed_at: Date; computed_by: string }>`
      select value, computed_at, computed_by from symbol_desk_shared_results where key = ${key}`.execute(db);
    const row = rows[0];
    return row ? { value: row.value, computedAt: row.computed_at, computedBy: row.computed_by } : null;
  } catch {
    return null;
  }
}
