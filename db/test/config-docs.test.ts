import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CONFIG_DOCS } from "../config.js";

// The README's configuration table is the documentation of CONFIG_DOCS: one row per variable, in
// the same order, with the same words. A variable added to db/config.ts without a README row (or
// a row left behind after one is removed) fails here, and the message prints the table to paste.

const README = new URL("../../README.md", import.meta.url);

function configurationTable(): string {
  const rows = Object.entries(CONFIG_DOCS).map(([name, doc]) => `| \`${name}\` | ${doc} |`);
  return ["| variable | what it sets |", "|---|---|", ...rows].join("\n");
}

function readmeConfigurationTable(): string {
  const readme = readFileSync(README, "utf8");
  const section = readme.split(/^## Configuration$/m)[1];
  assert.ok(section, "the README has a `## Configuration` section");
  const body = section.split(/^## /m)[0] ?? "";
  return body
    .split("\n")
    .filter((line) => line.startsWith("|"))
    .join("\n");
}

test("the README's configuration table lists every variable of db/config.ts, in order, with its doc line", () => {
  const expected = configurationTable();
  assert.equal(
    readmeConfigurationTable(),
    expected,
    `README.md's ## Configuration table should read:\n\n${expected}\n`,
  );
});
