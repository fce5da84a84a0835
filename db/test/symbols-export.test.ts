import assert from "node:assert/strict";
import { before, it } from "node:test";
import { sql } from "kysely";
import { listSymbols, walkSymbols, type ListRequest } from "../repositories/symbols-list.js";
import { loadDemoData } from "../seed/demo-data.js";
import { forEachEngine } from "./engines.js";

// The CSV export's walk: every row of a filtered, sorted view, in the table's order, one keyset
// page at a time (never more than a page held).

async function collect(pages: AsyncGenerator<Array<{ id: string }>>, pageSize: number) {
  const ids: string[] = [];
  let largest = 0;
  for await (const page of pages) {
    largest = Math.max(largest, page.length);
    ids.push(...page.map((r) => r.id));
  }
  return { ids, largest, pageSize };
}

/** The table's own pages, followed to the end: what a person paging through /symbols sees. */
async function tablePages(db: Parameters<typeof listSymbols>[0], view: Omit<ListRequest, "limit">) {
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const page = await listSymbols(db, { ...view, after, limit: 100 });
    ids.push(...page.rows.map((r) => r.id));
    after = page.nextCursor;
  } while (after);
  return ids;
}

forEachEngine("walking a /symbols view for export", ({ conn }) => {
  before(async () => {
    await loadDemoData(conn.db, { symbols: 3_000, users: 2, preferences: 5, seed: "export" });
    await sql`analyze`.execute(conn.db);
  });

  it("a filtered, sorted view comes out whole, in the table's order, in pages of at most the page size", async () => {
    const bist = await conn.db.selectFrom("markets").select("id").where("code", "=", "BIST").executeTakeFirstOrThrow();
    const views: Array<Omit<ListRequest, "limit">> = [
      { filters: {}, sort: "priority", dir: "desc" },
      { filters: { marketId: bist.id, isActive: true }, sort: "ticker", dir: "asc" },
      { filters: {}, sort: "market", dir: "desc" },
      { filters: { q: "asset 1" }, sort: "name", dir: "asc" },
    ];
    for (const view of views) {
      const expected = await tablePages(conn.db, view);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from symbols`.execute(conn.db);
      assert.ok(expected.length > 0, `${JSON.stringify(view)} matches something`);
      const walked = await collect(walkSymbols(conn.db, view, 250), 250);
      assert.deepEqual(walked.ids, expected, JSON.stringify(view));
      assert.ok(walked.largest <= 250, `pages of at most 250 rows, saw ${walked.largest}`);
      if (Object.keys(view.filters).length === 0) assert.equal(walked.ids.length, rows[0]!.n, "every symbol");
    }
  });

  it("a view with no match yields nothing", async () => {
    const walked = await collect(
      walkSymbols(conn.db, { filters: { q: "no such symbol" }, sort: "ticker", dir: "asc" }),
      50,
    );
    assert.deepEqual(walked.ids, []);
  });
});
