import type { Kysely } from "kysely";
import { migrationNames, migrationStatus } from "../migrator.js";
import type { Database } from "../schema.js";
import { gateLines, gateReport } from "./gate.js";

/**
 * `npm run db -- migrate`: prints the gate of every step about to run; true when they may run
 * (nothing is off, or the admin said --yes).
 */
export async function migrateGate(db: Kysely<Database>, options: { target?: string; yes: boolean }): Promise<boolean> {
  const applied = new Set((await migrationStatus(db)).filter((m) => m.state === "applied").map((m) => m.name));
  const names = migrationNames();
  const last = options.target ? names.indexOf(options.target) : names.length - 1;
  const pending = names.slice(0, last + 1).filter((name) => !applied.has(name));
  let off = false;
  for (const name of pending) {
    const report = await gateReport(db, name, "up");
    console.log(gateLines(report).join("\n"));
    off ||= report.concerns.length > 0;
  }
  if (off && !options.yes) {
    console.error("Something is off (see above). Nothing was applied; run again with --yes to apply anyway.");
    return false;
  }
  return true;
}
