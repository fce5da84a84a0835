import assert from "node:assert/strict";
import { it } from "node:test";
import { csvCell, csvLine } from "./csv.js";

it("a cell that a spreadsheet would run as a formula is written as text", () => {
  for (const text of ["=1+1", "+41", "-2", "@SUM(A1)", "\tx", "\rx"]) {
    assert.ok(csvCell(text).replace(/^"/, "").startsWith("'"), JSON.stringify(text));
  }
  assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvCell("BTC-USD"), "BTC-USD", "a dash inside a value is left alone");
});

it("quotes, commas and line breaks are quoted; numbers, booleans, dates and nulls as they are", () => {
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell("a,b"), '"a,b"');
  assert.equal(csvCell("two\nlines"), '"two\nlines"');
  assert.equal(csvCell(-5), "-5");
  assert.equal(csvCell(true), "true");
  assert.equal(csvCell(null), "");
  assert.equal(csvCell(new Date("2025-01-08T00:00:00Z")), "2025-01-08T00:00:00.000Z");
  assert.equal(csvLine(["a", 1, null]), "a,1,\r\n");
});
