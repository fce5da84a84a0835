import { writeFileSync } from "node:fs";
import { openDatabase } from "../client.js";
import { migrateUp, migrationNames } from "../migrator.js";
import { EXPECTATION_FILE, recordExpectation } from "./drift.js";

// `npx tsx db/gate/write-expectation.ts`: rewrites db/gate/schema-expectation.json from a fresh
// embedded database, one migration at a time. Run it when a new migration is added (the drift
// check reports an applied migration it does not know until then), and review the diff.

const conn = await openDatabase({ dataDir: ":memory:" });
try {
  const expectation = await recordExpectation(conn.db, migrationNames(), async (name) => {
    await migrateUp(conn.db, { actor: "schema-expectation", target: name });
  });
  writeFileSync(EXPECTATION_FILE, JSON.stringify(expectation, null, 2) + "\n");
  console.log(`Wrote the expected schema of ${Object.keys(expectation).length} migrations.`);
} finally {
  await conn.close();
}
