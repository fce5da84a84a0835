import type { Kysely } from "kysely";
import { migrationNames, migrationStatus } from "../migrator.js";
import type { Database } from "../schema.js";
import { gateLines, gateReport } from "./gate.js";

/** Prints the gate of each step in turn; true when they may run (nothing is off, or the admin said --yes). */
async function printGates(
  db: Kysely<Database>,
  steps: readonly string[],
  direction: "up" | "down",
  yes: boolean,
): Promise<boolean> {
  let off = false;
  for (const name of steps) {
    const report = await gateReport(db, name, direction);
    console.log(gateLines(report).join("\n"));
    off ||= report.concerns.length > 0;
  }
  if (off && !yes) {
    const what = direction === "up" ? "applied" : "rolled back";
    const verb = direction === "up" ? "apply" : "roll back";
    console.error(`Something is off (see above). Nothing was ${what}; run again with --yes to ${verb} anyway.`);
    return false;
  }
  return true;
}

const appliedNames = async (db: Kysely<Database>) =>
  (await migrationStatus(db)).filter((m) => m.state === "applied").map((m) => m.name);

/** `npm run db -- migrate`: the gate of every step about to run, in the order they run. */
export async function migrateGate(db: Kysely<Database>, options: { target?: string; yes: boolean }): Promise<boolean> {
  const applied = new Set(await appliedNames(db));
  const names = migrationNames();
  const last = options.target ? names.indexOf(options.target) : names.length - 1;
  const pending = names.slice(0, last + 1).filter((name) => !applied.has(name));
  return printGates(db, pending, "up", options.yes);
}

/** `npm run db -- rollback`: the gate of every step about to be rolled back, latest first (the order they run). */
export async function rollbackGate(db: Kysely<Database>, options: { steps: number; yes: boolean }): Promise<boolean> {
  const applied = await appliedNames(db);
  const leaving = options.steps > 0 ? applied.slice(-options.steps).reverse() : [];
  return printGates(db, leaving, "down", options.yes);
}
