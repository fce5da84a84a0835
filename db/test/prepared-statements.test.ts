import assert from "node:assert/strict";
import { it } from "node:test";
import { sql } from "kysely";
import { listUserSymbols } from "../queries/user-symbols.js";
import { PREPARABLE } from "../queries/compiled.js";
import { createEndUser } from "./api-fixtures.js";
import { forEachEngine } from "./engines.js";

// The hot queries compiled once are kept by each session as named prepared statements on a
// direct connection to PostgreSQL (db/client.ts), and sent unnamed on the embedded engine, which
// has no pooler to fear but no session of its own to keep them in either. Behind a transaction
// pooler they go unnamed too: the next transaction may run on another client's session.

forEachEngine("prepared hot queries", ({ conn }) => {
  it("the user query runs as the session's prepared statement, planned once, on a direct PostgreSQL session only", async () => {
    const userId = await createEndUser(conn.db, "prepared@example.com");
    const name = [...PREPARABLE.values()];
    // One session throughout: a transaction keeps its connection.
    const prepared = await conn.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 8; i++) assert.deepEqual(await listUserSymbols(trx, userId), []);
      const { rows } = await sql<{ name: string; generic_plans: number; custom_plans: number }>`
        select name, generic_plans::int, custom_plans::int from pg_prepared_statements`.execute(trx);
      return rows;
    });
    const named = prepared.filter((row) => name.includes(row.name));
    if (conn.engine === "pglite" || conn.topology().pooled) return assert.deepEqual(named, []);
    const [userQuery] = named;
    assert.ok(userQuery, JSON.stringify(prepared));
    assert.equal(userQuery.generic_plans + userQuery.custom_plans, 8, "executed eight times under one name");
  });
});
