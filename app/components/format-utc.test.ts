import assert from "node:assert/strict";
import { it } from "node:test";
import { formatUtc } from "./format-utc";

it("prints a moment in UTC to the minute, day month year, as the console always has", () => {
  assert.equal(formatUtc(new Date("2026-09-06T07:09:59.999Z")), "6 Sept 2026, 07:09");
  assert.equal(formatUtc(new Date("1999-12-31T23:59:00Z")), "31 Dec 1999, 23:59");
  assert.equal(formatUtc(new Date("2025-01-01T00:00:00+05:00")), "31 Dec 2024, 19:00");
  assert.equal(formatUtc(new Date("2025-05-10T12:30:00Z")), "10 May 2025, 12:30");
});
