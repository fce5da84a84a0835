import assert from "node:assert/strict";
import { before, it } from "node:test";
import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";
import {
  listPageChoices,
  listSymbols,
  pageQuery,
  type ListRequest,
  type SymbolListRow,
} from "../repositories/symbols-list.js";
import { decodeCursor, SORTS, type SortDir, type SortKey } from "../repositories/symbols-sorts.js";
import { countDefaults } from "../repositories/defaults.js";
import { loadDemoData } from "../seed/demo-data.js";
import { forEachEngine } from "./engines.js";

// The /symbols table at 20k demo symbols: keyset pages agree with a plain ORDER BY, Back (the
// previous-page cursor) returns the same rows, and EXPLAIN shows every offered sort walking its
// index of 20250109 (no sequential scan of symbols, no sort of the catalogue).

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

async function planOf(db: Kysely<Database>, query: { sql: string; parameters: readonly unknown[] }): Promise<PlanNode> {
  const compiled = {
    sql: `explain (format json) ${query.sql}`,
    parameters: query.parameters,
    query: { kind: "RawNode" },
  };
  const result = await db.executeQuery<{ "QUERY PLAN": unknown }>(compiled as never);
  const plan = result.rows[0]?.["QUERY PLAN"];
  return ((typeof plan === "string" ? JSON.parse(plan) : plan) as { Plan: PlanNode }[])[0]!.Plan;
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

// Null: no index. Since 20250115 no index names last_broadcast_at, so that the broadcaster's stamp
// (100 rows a second) is a HOT update; the console's "last broadcast" sort reads the table.
const EXPECTED_INDEX: Record<SortKey, string | null> = {
  ticker: "ix_symbols_console_ticker",
  name: "ix_symbols_console_display",
  priority: "ix_symbols_console_priority",
  last_broadcast: null,
  updated: "ix_symbols_console_updated",
  market: "ix_symbols_console_market_ticker",
  asset_class: "ix_symbols_console_asset_class_ticker",
  // An empty provider is found faster on the 20250108 index of the column alone; either is a walk.
  provider: "ix_symbols_console_provider_ticker|ix_symbols_data_provider_id",
  default: "ix_symbols_console_default_ticker",
  active: "ix_symbols_console_active_ticker",
  tracked: "ix_symbols_console_tracked_ticker",
};

/** The same order as the keyset walk, written as one plain ORDER BY (the reference). */
function referenceOrder(sort: SortKey, dir: SortDir) {
  const d = sql.raw(dir);
  const tail = sql`s.ticker ${d}, s.id ${d}`;
  switch (sort) {
    case "market":
      return sql`m.code ${d}, ${tail}`;
    case "asset_class":
      return sql`ac.code ${d}, ${tail}`;
    case "provider":
      return sql`dp.code ${d} nulls ${sql.raw(dir === "asc" ? "last" : "first")}, ${tail}`;
    case "default":
      return sql`s.is_default_symbol ${d}, ${tail}`;
    case "active":
      return sql`s.is_active ${d}, ${tail}`;
    case "tracked":
      return sql`s.is_tracked ${d}, ${tail}`;
    default: {
      const spec = SORTS[sort];
      if (spec.kind !== "range") throw new Error(sort);
      return sql`${spec.key} ${d}, s.id ${d}`;
    }
  }
}

forEachEngine("the /symbols table at 20k symbols", ({ conn }) => {
  let bist = "";
  before(async () => {
    await loadDemoData(conn.db, { symbols: 20_000, users: 10, preferences: 50, seed: "console" });
    await sql`analyze`.execute(conn.db);
    bist = (await conn.db.selectFrom("markets").select("id").where("code", "=", "BIST").executeTakeFirstOrThrow()).id;
  });

  const cases: Array<[SortKey, SortDir]> = [
    ["ticker", "asc"],
    ["name", "desc"],
    ["priority", "desc"],
    ["last_broadcast", "desc"],
    ["updated", "asc"],
    ["market", "asc"],
    ["asset_class", "desc"],
    ["provider", "asc"],
    ["default", "desc"],
    ["active", "asc"],
    ["tracked", "desc"],
  ];

  for (const [sort, dir] of cases) {
    it(`sorting by ${sort} ${dir}: three pages forward equal ORDER BY, and the previous page comes back`, async () => {
      const limit = 100;
      const { rows: expected } = await sql<{ id: string }>`
        select s.id from symbols s join markets m on m.id = s.market_id join asset_classes ac on ac.id = s.asset_class_id
        left join data_providers dp on dp.id = s.data_provider_id
        order by ${referenceOrder(sort, dir)} limit ${limit * 3}`.execute(conn.db);
      const request: ListRequest = { filters: {}, sort, dir, limit };
      const pages: SymbolListRow[][] = [];
      let after: string | null = null;
      const cursors: Array<string | null> = [];
      for (let i = 0; i < 3; i++) {
        const page = await listSymbols(conn.db, { ...request, after });
        pages.push(page.rows);
        cursors.push(page.prevCursor);
        after = page.nextCursor;
        assert.ok(after, "a next page exists");
      }
      assert.deepEqual(
        pages.flat().map((r) => r.id),
        expected.map((r) => r.id),
      );
      const back = await listSymbols(conn.db, { ...request, before: cursors[2] });
      assert.deepEqual(
        back.rows.map((r) => r.id),
        pages[1]!.map((r) => r.id),
      );
      assert.ok(back.prevCursor, "page 2 has a page before it");
    });

    const expectedIndex = EXPECTED_INDEX[sort];
    if (expectedIndex === null) continue;
    it(`sorting by ${sort} ${dir} walks ${expectedIndex.split("|")[0]}, first page and deep page`, async () => {
      const spec = SORTS[sort];
      const group = spec.kind === "group" ? (await spec.groups(conn.db))[0] : undefined;
      const request: ListRequest = { filters: {}, sort, dir, limit: 51 };
      const first = await listSymbols(conn.db, { ...request, limit: 50 });
      const deep = decodeCursor(first.nextCursor);
      for (const cursor of [null, deep]) {
        const plan = await planOf(conn.db, pageQuery(conn.db, request, dir, cursor, 51, group).compile());
        const all = nodes(plan);
        const used = all.map((n) => n["Index Name"]).filter(Boolean);
        assert.ok(
          used.some((name) => expectedIndex.split("|").includes(String(name))),
          `${sort}: ${JSON.stringify(used)}`,
        );
        assert.ok(
          !all.some((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "symbols"),
          `${sort}: no seq scan of symbols`,
        );
      }
    });
  }

  it("filters combine with sorts without scanning the catalogue", async () => {
    const combos: ListRequest[] = [
      { filters: { marketId: bist }, sort: "ticker", dir: "asc", limit: 51 },
      { filters: { isDefault: true }, sort: "priority", dir: "desc", limit: 51 },
      { filters: { isActive: false }, sort: "ticker", dir: "asc", limit: 51 },
      { filters: { marketId: bist, isTracked: true }, sort: "market", dir: "asc", limit: 51 },
    ];
    for (const request of combos) {
      const spec = SORTS[request.sort];
      const group = spec.kind === "group" ? bist : undefined;
      const all = nodes(await planOf(conn.db, pageQuery(conn.db, request, request.dir, null, 51, group).compile()));
      assert.ok(
        !all.some((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "symbols"),
        `${JSON.stringify(request.filters)}: ${JSON.stringify(all.map((n) => n["Index Name"] ?? n["Node Type"]))}`,
      );
    }
  });

  it("search matches a ticker prefix or a name substring; the total is counted up to the cap", async () => {
    const some = await conn.db
      .selectFrom("symbols")
      .select(["ticker"])
      .where("display", "=", "Demo asset 1234")
      .executeTakeFirstOrThrow();
    const byTicker = await listSymbols(conn.db, {
      filters: { q: some.ticker.toLowerCase() },
      sort: "ticker",
      dir: "asc",
      limit: 25,
    });
    assert.ok(byTicker.rows.some((r) => r.ticker === some.ticker));
    const byName = await listSymbols(conn.db, { filters: { q: "asset 1234" }, sort: "ticker", dir: "asc", limit: 25 });
    assert.ok(byName.rows.every((r) => r.display.includes("asset 1234")) && byName.rows.length >= 1);
    const wildcard = await listSymbols(conn.db, { filters: { q: "%" }, sort: "ticker", dir: "asc", limit: 25 });
    assert.equal(wildcard.total, 0, "% is a character, not a wildcard");
    const everything = await listSymbols(conn.db, { filters: {}, sort: "ticker", dir: "asc", limit: 25 });
    assert.equal(everything.totalCapped, true);
  });

  it("a page's choices are every asset class, market and provider in code order, and the default count", async () => {
    const options = await listPageChoices(conn.db);
    assert.equal(options.defaultCount, await countDefaults(conn.db));
    assert.ok(options.defaultCount > 0);
    const expected = async (table: "asset_classes" | "markets" | "data_providers") =>
      (await conn.db.selectFrom(table).select("code").orderBy("code").execute()).map((r) => r.code);
    assert.deepEqual(
      options.assetClasses.map((c) => c.code),
      await expected("asset_classes"),
    );
    assert.deepEqual(
      options.markets.map((m) => m.code),
      await expected("markets"),
    );
    assert.deepEqual(
      options.providers.map((p) => p.code),
      await expected("data_providers"),
    );
    const provider = options.providers[0]!;
    const stored = await conn.db
      .selectFrom("data_providers")
      .select(["market_id", "connection_status", "is_active"])
      .where("id", "=", provider.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { market_id: provider.market_id, connection_status: provider.connection_status, is_active: provider.is_active },
      stored,
    );
  });

  it("a cursor that is not ours shows the first page instead of failing", async () => {
    const page = await listSymbols(conn.db, {
      filters: {},
      sort: "ticker",
      dir: "asc",
      limit: 10,
      after: "bm90LWpzb24",
    });
    assert.equal(page.rows.length, 10);
    assert.equal(page.prevCursor, null);
  });
});
