import { sql } from "kysely";
import type { DbConnection } from "../client.js";
import { DEFAULT_SYMBOLS_CHANNEL, SCHEMA_CHANNEL } from "../notifications.js";
import { type DefaultSymbol, listDefaultSymbols } from "../queries/default-symbols.js";
import { backedUpDefaultSymbols, readThroughRollback, type RolledBack } from "../queries/rolled-back-20250108.js";
import { createNotifiedCache, type NotifiedCache } from "./notified-cache.js";

// The seed's default query, answered from memory between changes. The triggers of 20250110
// announce every change to a default symbol's row (a price, the order, the flag itself), the
// migrator announces every schema step; while the triggers are absent nothing is kept. While
// 20250108 is rolled back the defaults come from its backup (`rolledBack` says since when): that
// answer is kept too, since the backup changes only with a migration step, whose announcement on
// the schema channel drops it (a re-apply is answered without the fallback at once). Its prices
// are then as fresh as the cache's age bound, as no trigger announces them in that state.

export function defaultSymbolsCache<T>(
  conn: DbConnection,
  present: (rows: DefaultSymbol[], rolledBack: RolledBack | null) => T,
): NotifiedCache<T> {
  return createNotifiedCache(conn, [DEFAULT_SYMBOLS_CHANNEL, SCHEMA_CHANNEL], async () => {
    const [{ value: rows, rolledBack }, announced] = await Promise.all([
      readThroughRollback(conn.db, listDefaultSymbols, backedUpDefaultSymbols),
      changesAreAnnounced(conn),
    ]);
    return { value: present(rows, rolledBack), cacheable: announced || rolledBack !== null };
  });
}

async function changesAreAnnounced({ db }: DbConnection): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_trigger
    where tgrelid = 'symbols'::regclass and tgname like 'trg_symbols_announce_default_%'`.execute(db);
  return rows[0]!.n === 4;
}
