import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import { SCHEMA_EXPECTATION } from "./schema-expectation.js";
import { invalidIndexes, schemaSnapshot } from "./schema-snapshot.js";

// Drift: the live schema against what the applied migrations should have made. The expectation is
// stored in db/gate/schema-expectation.ts (written by db/gate/write-expectation.ts from a fresh
// database, one migration at a time: what each step adds and removes; a module, so the server
// bundle carries it), never read off a migration file, so a migration edited after it ran cannot
// hide a difference.

export interface ExpectationStep {
  added: string[];
  removed: string[];
}

export type SchemaExpectation = Record<string, ExpectationStep>;

/** The schema the applied migrations should have made: every step's additions and removals, in name order. */
export function expectedSchema(expectation: SchemaExpectation, applied: readonly string[]): Set<string> | null {
  const lines = new Set<string>();
  for (const name of [...applied].sort()) {
    const step = expectation[name];
    if (!step) return null;
    for (const line of step.removed) lines.delete(line);
    for (const line of step.added) lines.add(line);
  }
  return lines;
}

export interface Drift {
  /** Expected but absent from the live schema (a dropped index, a removed trigger, a changed type's old line). */
  missing: string[];
  /** Live but not expected (an index made by hand, a changed type's new line). */
  extra: string[];
  /** Indexes left INVALID by a killed build. */
  invalid: string[];
  /** Applied migrations the stored expectation does not know (it needs regenerating). */
  unknown: string[];
}

export const hasDrift = (d: Drift) => d.missing.length + d.extra.length + d.invalid.length + d.unknown.length > 0;

export async function schemaDrift(db: Kysely<Database>, applied: readonly string[]): Promise<Drift> {
  const expectation = SCHEMA_EXPECTATION;
  const unknown = applied.filter((name) => !expectation[name]);
  const expected = expectedSchema(
    expectation,
    applied.filter((name) => expectation[name]),
  );
  const [snapshot, invalid] = await Promise.all([schemaSnapshot(db), invalidIndexes(db)]);
  const live = new Set(snapshot);
  return {
    missing: [...expected!].filter((line) => !live.has(line)),
    extra: [...live].filter((line) => !expected!.has(line)),
    invalid,
    unknown,
  };
}

/** The expectation, step by step, from a database that is fresh and empty. */
export async function recordExpectation(
  db: Kysely<Database>,
  names: readonly string[],
  applyOne: (name: string) => Promise<void>,
): Promise<SchemaExpectation> {
  const expectation: SchemaExpectation = {};
  let before = new Set(await schemaSnapshot(db));
  for (const name of names) {
    await applyOne(name);
    const after = new Set(await schemaSnapshot(db));
    expectation[name] = {
      added: [...after].filter((line) => !before.has(line)),
      removed: [...before].filter((line) => !after.has(line)),
    };
    before = after;
  }
  return expectation;
}
