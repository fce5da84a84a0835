import { sql } from "kysely";
import { TRIGGERS } from "./catalogue-objects.js";
import { inRolledBackTransaction } from "./rolled-back.js";
import { createProbeCatalogue, type ProbeCatalogue } from "./trigger-probe.js";
import type { Check, CheckContext, OffendingRow } from "./types.js";

// A trigger can exist and still do nothing: disabled (ALTER TABLE … DISABLE TRIGGER), or its
// function replaced by one that no longer does the job. So each check looks the trigger up and
// then proves it fires, by writing inside a transaction that is always rolled back.

/** Returns null when the trigger did its job, or what went wrong. */
type Proof = (probe: ProbeCatalogue) => Promise<string | null>;

const CHECK_VIOLATION = "23514";
const LONG_AGO = new Date("2000-01-01T00:00:00Z");

async function presenceProblem(ctx: CheckContext, trigger: string): Promise<string | null> {
  const { rows } = await sql<{ enabled: string }>`
    select t.tgenabled as enabled
    from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where t.tgname = ${trigger} and c.relname = 'symbols'
      and c.relnamespace = current_schema()::regnamespace and not t.tgisinternal`.execute(ctx.db);
  const found = rows[0];
  if (!found) return "missing";
  // 'D' = disabled; 'R' = fires only for replication sessions, so never for the app.
  if (found.enabled === "D" || found.enabled === "R") return "disabled";
  return null;
}

function triggerCheck(trigger: string, title: string, fixHint: string, prove: Proof): Check {
  return {
    id: `schema.trigger.${trigger}`,
    title,
    category: "schema",
    severity: "error",
    fixHint,
    async offendingRows(ctx): Promise<OffendingRow[]> {
      const problem =
        (await presenceProblem(ctx, trigger)) ??
        (await inRolledBackTransaction(ctx.db, async (trx) => prove(await createProbeCatalogue(trx))));
      return problem ? [{ trigger_name: trigger, problem }] : [];
    },
  };
}

const touchesUpdatedAt: Proof = async ({ trx, insertSymbol }) => {
  const symbol = await insertSymbol();
  const row = await trx
    .updateTable("symbols")
    .set({ updated_at: LONG_AGO })
    .where("id", "=", symbol.id)
    .returning("updated_at")
    .executeTakeFirstOrThrow();
  return new Date(row.updated_at).getTime() > LONG_AGO.getTime()
    ? null
    : "an UPDATE kept the updated_at it was given instead of the current time";
};

const clearsDefaultOnDeactivation: Proof = async ({ trx, insertSymbol }) => {
  const symbol = await insertSymbol({ is_default_symbol: true, is_active: true });
  try {
    const row = await trx
      .updateTable("symbols")
      .set({ is_active: false })
      .where("id", "=", symbol.id)
      .returning("is_default_symbol")
      .executeTakeFirstOrThrow();
    return row.is_default_symbol ? "a deactivated default symbol stayed among the defaults" : null;
  } catch (error) {
    // Without the trigger, ck_symbols_default_is_active rejects the deactivation instead.
    if ((error as { code?: string }).code === CHECK_VIOLATION) {
      return "deactivating a default symbol was rejected: the trigger did not clear the default flag first";
    }
    throw error;
  }
};

const linksMarketProvider: Proof = async ({ insertSymbol, primaryProviderId }) => {
  const symbol = await insertSymbol({ data_provider_id: null });
  if (symbol.data_provider_id === primaryProviderId) return null;
  return symbol.data_provider_id
    ? "a symbol inserted without a provider was linked to a provider other than its market's primary one"
    : "a symbol inserted without a provider stayed without one";
};

export const triggerChecks: readonly Check[] = [
  triggerCheck(
    TRIGGERS.touchUpdatedAt,
    "Trigger keeps symbols.updated_at current",
    "Run the migrations again (20250108 recreates the trigger), or ENABLE TRIGGER if it was disabled.",
    touchesUpdatedAt,
  ),
  triggerCheck(
    TRIGGERS.clearDefaultWhenDeactivated,
    "Trigger clears the default flag when a symbol is deactivated",
    "Run the migrations again (20250108 recreates the trigger), or ENABLE TRIGGER if it was disabled.",
    clearsDefaultOnDeactivation,
  ),
  triggerCheck(
    TRIGGERS.linkMarketProvider,
    "Trigger links a new symbol to its market's primary provider",
    "Run the migrations again (20250108 recreates the trigger), or ENABLE TRIGGER if it was disabled.",
    linksMarketProvider,
  ),
];
