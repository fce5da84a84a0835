import assert from "node:assert/strict";
import { before, it } from "node:test";
import { sql } from "kysely";
import { EXPECTED_INDEXES } from "../checks/catalogue-objects.js";
import { broadcastListQuery } from "../queries/broadcast-list.js";
import { defaultSymbolsQuery } from "../queries/default-symbols.js";
import { userSymbolsQuery } from "../queries/user-symbols.js";
import { loadDemoData } from "../seed/demo-data.js";
import { forEachEngine } from "./engines.js";
import { indexesUsedBy, planNodes } from "./fingerprint.js";

class RollBack extends Error {}

// Proves with EXPLAIN that each index of 20250108 serves the query it was built for, on a
// catalogue large enough that the planner would otherwise scan.

forEachEngine("the six indexes of 20250108", ({ conn }) => {
  let userId = "";
  let marketId = "";
  before(async () => {
    await loadDemoData(conn.db, { symbols: 20_000, users: 400, preferences: 8_000, seed: "plans" });
    await sql`analyze`.execute(conn.db);
    userId = (await conn.db.selectFrom("users").select("id").orderBy("email").executeTakeFirstOrThrow()).id;
    marketId = (await conn.db.selectFrom("markets").select("id").where("code", "=", "BIST").executeTakeFirstOrThrow())
      .id;
  });

  it("the checks' list of the six indexes has the definitions the migrations left in place", async () => {
    // Each expected definition is built beside the real index (and rolled back): the two must
    // read back the same from PostgreSQL, name aside.
    await conn.db
      .transaction()
      .execute(async (trx) => {
        for (const index of EXPECTED_INDEXES) {
          const probe = `${index.name}_probe`;
          await sql.raw(`create index ${probe} on ${index.table} ${index.definition}`).execute(trx);
          const { rows } = await sql<{ real: string | null; built: string }>`
            select pg_get_indexdef(to_regclass(${index.name})) as real,
                   replace(pg_get_indexdef(to_regclass(${probe})), ${probe}, ${index.name}) as built`.execute(trx);
          assert.equal(rows[0]?.built, rows[0]?.real, index.name);
        }
        throw new RollBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RollBack)) throw error;
      });
  });

  it("the default query reads ix_symbols_default_order", async () => {
    assert.deepEqual(await indexesUsedBy(conn.db, defaultSymbolsQuery(conn.db).compile()), [
      "ix_symbols_default_order",
    ]);
  });

  it("the broadcast query reads ix_symbols_broadcast_queue", async () => {
    assert.ok(
      (await indexesUsedBy(conn.db, broadcastListQuery(conn.db).compile())).includes("ix_symbols_broadcast_queue"),
    );
  });

  it("the broadcast query for one market reads ix_symbols_market_broadcast_queue", async () => {
    const used = await indexesUsedBy(conn.db, broadcastListQuery(conn.db, { marketId }).compile());
    assert.ok(used.includes("ix_symbols_market_broadcast_queue"), used.join(","));
  });

  it(
    "the user query reads ix_udp_user_visible_order and probes symbols by id through their hash index " +
      "(20250119), never scanning the catalogue",
    async () => {
      const used = await indexesUsedBy(conn.db, userSymbolsQuery(conn.db, userId).compile());
      assert.ok(used.includes("ix_udp_user_visible_order"), used.join(","));
      assert.ok(used.includes("ix_symbols_id_hash"), used.join(","));
    },
  );

  it("the user query walks ix_udp_user_visible_order index-only, in order, with no sort (20250111)", async () => {
    // Index-only needs all-visible pages, as a vacuumed preferences table has.
    await sql`vacuum analyze user_dashboard_preferences`.execute(conn.db);
    const nodes = await planNodes(conn.db, userSymbolsQuery(conn.db, userId).compile());
    const described = nodes.map((n) => `${n.type}${n.index ? ` ${n.index}` : ""}`).join(" > ");
    assert.ok(
      nodes.some((n) => n.type === "Index Only Scan" && n.index === "ix_udp_user_visible_order"),
      described,
    );
    assert.ok(!nodes.some((n) => n.type === "Sort"), described);
  });

  it("looking up a provider's symbols reads ix_symbols_data_provider_id", async () => {
    const query = conn.db
      .selectFrom("symbols")
      .select("id")
      .where("data_provider_id", "=", "00000000-0000-0000-0000-000000000000");
    assert.deepEqual(await indexesUsedBy(conn.db, query.compile()), ["ix_symbols_data_provider_id"]);
  });

  it("counting who holds a symbol reads ix_udp_symbol_id", async () => {
    const query = conn.db
      .selectFrom("user_dashboard_preferences")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("symbol_id", "=", "00000000-0000-0000-0000-000000000000");
    assert.deepEqual(await indexesUsedBy(conn.db, query.compile()), ["ix_udp_symbol_id"]);
  });
});
