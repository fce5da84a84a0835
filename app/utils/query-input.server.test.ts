import assert from "node:assert/strict";
import { test } from "node:test";
import { parseListParams } from "~/routes/_console.symbols._index/query.server";
import { decodeAuditCursor } from "~/routes/_console.audit/cursor.server";
import { isCalendarDay, isTimestampText } from "./query-input.server";

// Values from a URL that PostgreSQL would cast: refused here (a 400 naming the parameter), never
// passed on to fail as a 500.

const cursor = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const ID = "0b5c3f0e-7f1a-4a63-9d7b-2f6d3c1a9e10";

function statusOf(run: () => unknown): { status: number; fields: Record<string, string> } | "ok" {
  try {
    run();
    return "ok";
  } catch (thrown) {
    const value = thrown as { init?: { status?: number }; data?: { fieldErrors?: Record<string, string> } };
    return { status: value.init?.status ?? 0, fields: value.data?.fieldErrors ?? {} };
  }
}

test("a date is a real day of the calendar and a timestamp a real moment", () => {
  for (const day of ["2025-01-31", "2024-02-29"]) assert.ok(isCalendarDay(day), day);
  for (const day of ["2025-13-45", "2025-02-30", "2023-02-29", "0000-01-01", "2025-1-1", "tomorrow"])
    assert.ok(!isCalendarDay(day), day);
  assert.ok(isTimestampText("2025-01-02 10:11:12.123456+00"));
  assert.ok(isTimestampText("2025-01-02T10:11:12Z"));
  for (const text of ["2025-01-02 25:00:00+00", "2025-02-30 10:00:00+00", "now", "2025-01-02"])
    assert.ok(!isTimestampText(text), text);
});

test("a /symbols cursor whose key does not fit the sort is a 400 naming it", () => {
  const url = (query: string) => new URL(`http://desk.test/symbols?${query}`);
  assert.equal(
    statusOf(() => parseListParams(url(`sort=priority&after=${cursor({ k: "42", id: ID })}`))),
    "ok",
  );
  for (const [query, field] of [
    [`sort=priority&after=${cursor({ k: "forty-two", id: ID })}`, "after"],
    [`sort=priority&after=${cursor({ k: "99999999999", id: ID })}`, "after"],
    [`sort=updated&before=${cursor({ k: "2025-13-45 00:00:00+00", id: ID })}`, "before"],
    ["sort=ticker&after=not-a-cursor", "after"],
    [`sort=ticker&after=${cursor({ k: "BTC", id: "nope" })}`, "after"],
  ] as const) {
    const outcome = statusOf(() => parseListParams(url(query)));
    assert.notEqual(outcome, "ok", query);
    if (outcome === "ok") continue;
    assert.equal(outcome.status, 400, query);
    assert.ok(outcome.fields[field], query);
  }
});

test("an /audit cursor is accepted only as the page made it", () => {
  assert.deepEqual(decodeAuditCursor(cursor({ at: "2025-01-02 10:11:12.5+00", id: ID })), {
    at: "2025-01-02 10:11:12.5+00",
    id: ID,
  });
  for (const bad of [cursor({ at: "yesterday", id: ID }), cursor({ at: "2025-01-02 10:11:12+00" }), "%%%", "e30"])
    assert.equal(decodeAuditCursor(bad), undefined, bad);
});
