import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { listUsersPage, usersPageCounts, usersPageRows } from "../repositories/users.js";
import { forEachEngine } from "./engines.js";

// The console's users list: natural email order (digits compared as numbers) and keyset pages
// that together list every matching user once, forwards and backwards.

forEachEngine("users list pages", (ctx) => {
  test("pages through every user in natural order, forwards and back, with the count and offset", async () => {
    const { db } = ctx.conn;
    const emails = Array.from({ length: 23 }, (_, i) => `page${i % 2 ? "b" : "a"}-user${i + 1}@example.test`);
    // Inserted shuffled, so no insertion order can pass for the natural one.
    await db
      .insertInto("users")
      .values([...emails].reverse().map((email) => ({ email, display_name: "Paged" })))
      .execute();
    const expected = [...emails].sort((x, y) => x.localeCompare(y, "en", { numeric: true }));
    assert.equal(expected.indexOf("pagea-user3@example.test") < expected.indexOf("pagea-user11@example.test"), true);

    const seen: string[] = [];
    let page = await listUsersPage(db, { q: "page", limit: 10 });
    assert.equal(page.total, 23);
    assert.equal(page.previous, null);
    const offsets = [page.offset];
    seen.push(...page.users.map((u) => u.email));
    while (page.next) {
      page = await listUsersPage(db, { q: "page", after: page.next, limit: 10 });
      offsets.push(page.offset);
      seen.push(...page.users.map((u) => u.email));
    }
    assert.deepEqual(seen, expected);
    assert.deepEqual(offsets, [0, 10, 20]);

    const back = await listUsersPage(db, { q: "page", before: page.previous!, limit: 10 });
    assert.equal(back.offset, 10);
    assert.deepEqual(
      back.users.map((u) => u.email),
      expected.slice(10, 20),
    );
    assert.ok(back.previous && back.next);
  });

  test("a cursor whose row is gone still lands between its neighbours", async () => {
    const { db } = ctx.conn;
    const page = await listUsersPage(db, {
      q: "pagea",
      after: { email: "pagea-user4@example.test", id: "00000000-0000-4000-8000-000000000000" },
      limit: 2,
    });
    assert.deepEqual(
      page.users.map((u) => u.email),
      ["pagea-user5@example.test", "pagea-user7@example.test"],
    );
  });

  test("a page, in either direction, and its offset walk the natural-order index: no sort over the table", async () => {
    const { db } = ctx.conn;
    await sql`insert into users (email, display_name)
      select 'plan-user' || g || '@example.test', 'Planned ' || g from generate_series(1, 5000) g`.execute(db);
    await sql`vacuum analyze users`.execute(db);
    const middle = await db
      .selectFrom("users")
      .select(["email", "id"])
      .where("email", "=", "plan-user2500@example.test")
      .executeTakeFirstOrThrow();

    const plans = {
      "first page": await usersPageRows(db, { q: "", limit: 25 }).explain("json"),
      "next page": await usersPageRows(db, { q: "", after: middle, limit: 25 }).explain("json"),
      "previous page": await usersPageRows(db, { q: "", before: middle, limit: 25 }).explain("json"),
      offset: await usersPageCounts(db, "", middle).explain("json"),
    };
    for (const [name, rows] of Object.entries(plans)) {
      const nodes = planNodes(rows);
      assert.deepEqual(
        nodes.filter((n) => /Sort/.test(n.type)),
        [],
        `${name}: ${JSON.stringify(nodes)}`,
      );
      const scans = nodes.filter((n) => n.index === "ix_users_natural_email");
      assert.equal(scans.length, 1, `${name}: ${JSON.stringify(nodes)}`);
      if (name === "offset") assert.equal(scans[0]!.type, "Index Only Scan", JSON.stringify(nodes));
    }

    // The same pages as the plan's: the index orders them as the key does.
    const page = await listUsersPage(db, { q: "plan-user", after: middle, limit: 3 });
    assert.deepEqual(
      page.users.map((u) => u.email),
      ["plan-user2501@example.test", "plan-user2502@example.test", "plan-user2503@example.test"],
    );
    assert.equal(page.offset, 2500);
  });
});

interface PlanNode {
  type: string;
  index: string | null;
}

/** Every node of an EXPLAIN (FORMAT JSON) answer, subplans included. */
function planNodes(rows: Array<Record<string, unknown>>): PlanNode[] {
  const value = Object.values(rows[0]!)[0];
  const document = (typeof value === "string" ? JSON.parse(value) : value) as Array<{ Plan: unknown }>;
  const nodes: PlanNode[] = [];
  const walk = (node: Record<string, unknown>) => {
    nodes.push({ type: String(node["Node Type"]), index: (node["Index Name"] as string | undefined) ?? null });
    for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
  };
  walk(document[0]!.Plan as Record<string, unknown>);
  return nodes;
}
