import { writeFileSync } from "node:fs";
import { openDatabase } from "../client.js";
import { migrateUp, migrationNames } from "../migrator.js";
import { recordExpectation } from "./drift.js";

const FILE = new URL("./schema-expectation.ts", import.meta.url);

// `npx tsx db/gate/write-expectation.ts && npx prettier --write db/gate`: rewrites db/gate/schema-expectation.ts from
// a fresh
// embedded database, one migration at a time. Run it when a new migration is added (the drift
// check reports an applied migration it does not know until then), and review the diff.

const conn = await openDatabase({ dataDir: ":memory:" });
try {
  const expectation = await recordExpectation(conn.db, migrationNames(), async (name) => {
    await migrateUp(conn.db, { actor: "schema-expectation", target: name });
  });
  const body = JSON.stringify(expectation, null, 2);
  writeFileSync(
    FILE,
    'import type { SchemaExpectation } from "./drift.js";\n\n// Written by db/gate/write-expectation.ts: ' +
      "do not edit by hand.\n\n" +
      `export const SCHEMA_EXPECTATION: SchemaExpectation = ${body};\n`,
  );
  console.log(`Wrote the expected schema of ${Object.keys(expectation).length} migrations.`);
} finally {
  await conn.close();
}
