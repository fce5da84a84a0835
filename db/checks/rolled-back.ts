import type { Kysely, Transaction } from "kysely";

/** Thrown only to make Kysely roll the transaction back; never escapes this module. */
class RollbackSentinel extends Error {}

/**
 * Runs `work` in a transaction that is always rolled back, and returns what `work` returned.
 * Checks that must write to prove something (does a trigger fire?) use it so that running the
 * checks never changes the data they check. An error thrown by `work` is passed on unchanged.
 */
export async function inRolledBackTransaction<DB, T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  const sentinel = new RollbackSentinel("rolled back on purpose");
  let outcome: { value: T } | undefined;
  try {
    await db.transaction().execute(async (trx) => {
      outcome = { value: await work(trx) };
      throw sentinel;
    });
  } catch (error) {
    if (error !== sentinel) throw error;
  }
  if (!outcome) throw new Error("the rolled-back transaction ended without a result");
  return outcome.value;
}
