import { sql } from "kysely";
import { type Db, inTransaction } from "./transaction.js";
import { SymbolRuleError } from "./symbols-errors.js";

// Assigning one provider to every symbol of its market: one statement that locks the rows to
// change, updates them (bumping each version) and writes their audit rows, so a market of 30k
// symbols is one round trip and either every symbol moves or none does.

export function assignProviderToMarket(
  db: Db,
  input: { staffId: string; providerId: string },
): Promise<{ changed: number }> {
  return inTransaction(db, async (trx) => {
    const provider = await trx
      .selectFrom("data_providers")
      .select(["id", "market_id", "code", "is_active"])
      .where("id", "=", input.providerId)
      .executeTakeFirst();
    if (!provider) throw new SymbolRuleError("data_provider_id", "That data provider does not exist.");
    if (!provider.is_active)
      throw new SymbolRuleError("data_provider_id", `${provider.code} is switched off and cannot serve symbols.`);
    const { rows } = await sql<{ n: string | number }>`
      with old as (
        select id, data_provider_id from symbols
        where market_id = ${provider.market_id} and data_provider_id is distinct from ${provider.id}::uuid
        for update
      ), moved as (
        update symbols s set data_provider_id = ${provider.id}::uuid, version = s.version + 1
        from old where s.id = old.id
        returning s.id, old.data_provider_id as before
      ), audited as (
        insert into symbol_audit (staff_id, symbol_id, action, field, before_value, after_value)
        select ${input.staffId}::uuid, id, 'market_provider', 'data_provider_id', before::text, ${provider.id}::text from moved
        returning 1
      )
      select count(*) as n from audited`.execute(trx);
    return { changed: Number(rows[0]?.n ?? 0) };
  });
}
