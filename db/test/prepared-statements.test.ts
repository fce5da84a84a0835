import assert from "node:assert/strict";
import { it } from "node:test";
import { sql } from "kysely";
import { listUserSymbols } from "../queries/user-symbols.js";
import { PREPARABLE } from "../queries/compiled.js";
import { addUserSymbol } from "../repositories/user-preferences.js";
import { createEndUser, symbolIdOf } from "./api-fixtures.js";
import { forEachEngine } from "./engines.js";

// The hot queries compiled once are kept by each session as named prepared statements on a
// direct connection to PostgreSQL (db/client.ts), and sent unnamed on the embedded engine, which
// has no pooler to fear but no session of its own to keep them in either. Behind a transaction
// pooler they go unnamed too: the next transaction may run on another client's session.

forEachEngine("prepared hot queries", ({ conn }) => {
  it("the user query runs as the session's prepared statement, planned once, on a direct PostgreSQL session only", async () => {
    const userId = await createEndUser(conn.db, "prepared@example.com");
    await addUserSymbol(conn.db, userId, { symbolId: await symbolIdOf(conn.db, "BTCUSDT") });
    const name = [...PREPARABLE.values()];
    // One session throughout: a transaction keeps its connection.
    const prepared = await conn.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 8; i++) {
        assert.deepEqual(
          (await listUserSymbols(trx, userId)).map((row) => row.ticker),
          ["BTCUSDT"],
        );
      }
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

  it("a prepared statement that fails rejects with PostgreSQL's error, and the session goes on", async () => {
    await assert.rejects(listUserSymbols(conn.db, "not-a-uuid"), /invalid input syntax for type uuid/);
    const userId = await createEndUser(conn.db, "prepared-after-error@example.com");
    assert.deepEqual(await listUserSymbols(conn.db, userId), []);
  });
});
