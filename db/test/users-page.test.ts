import assert from "node:assert/strict";
import { test } from "node:test";
import { listUsersPage } from "../repositories/users.js";
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
});
