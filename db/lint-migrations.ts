import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { openDatabase } from "./client.js";
import { boundedMigrations } from "./migrations/index.js";

// Lints exactly the SQL the migrations send, not a hand-written copy of it: every migration's
// `up` runs (as the migrator runs it: inside its step timeouts) on a throwaway embedded database
// while its statements are recorded, then `down` and `up` again (the re-apply path restores saved
// values), and squawk checks each step's recording on its own, so a SET of one step never
// covers another. The findings are kept in .data/lint/findings.json for the gate before apply.

/**
 * Rules that do not apply here, each with the reason. A rollback by definition removes what its
 * `up` added (20250108 saves the values first), so drops are expected in `down` only.
 */
const DOWN_ONLY_EXCLUSIONS = ["ban-drop-column", "ban-drop-table"];
const EXCLUSIONS = [
  // myTrader's existing schema uses integer and timestamptz columns; changing types is out of scope.
  "prefer-bigint-over-int",
  "prefer-identity",
];

export type LintPass = "up" | "down" | "reapply";

export interface LintFinding {
  migration: string;
  pass: LintPass;
  rule: string;
  message: string;
  line: number;
}

export const LINT_DIR = path.resolve(".data", "lint");
export const FINDINGS_FILE = path.join(LINT_DIR, "findings.json");

function squawk(file: string, exclusions: string[]): Array<{ rule_name: string; message: string; line: number }> {
  const require = createRequire(import.meta.url);
  const bin = path.join(path.dirname(require.resolve("squawk-cli/package.json")), "js", "bin", "squawk");
  const result = spawnSync(
    process.execPath,
    [bin, "--pg-version", "15", "--reporter", "json", "--exclude", exclusions.join(","), file],
    { encoding: "utf8" },
  );
  if (result.status !== 0 && !result.stdout.trim().startsWith("[")) throw new Error(`squawk failed: ${result.stderr}`);
  return JSON.parse(result.stdout || "[]");
}

/** Runs every step on a throwaway database, recording each step's statements per pass. */
async function recordSteps(): Promise<Map<string, string[]>> {
  const recorded = new Map<string, string[]>();
  let target: string[] = [];
  const conn = await openDatabase({ dataDir: ":memory:", onQuery: (sql) => target.push(sql) });
  const run = async (name: string, pass: LintPass) => {
    target = [];
    recorded.set(`${name}.${pass}`, target);
    const migration = boundedMigrations()[name]!;
    await (pass === "down" ? migration.down!(conn.db) : migration.up(conn.db));
  };
  try {
    const names = Object.keys(boundedMigrations()).sort();
    for (const name of names) await run(name, "up");
    for (const name of [...names].reverse()) await run(name, "down");
    for (const name of names) await run(name, "reapply");
  } finally {
    await conn.close();
  }
  return recorded;
}

export async function lintMigrations(): Promise<number> {
  const recorded = await recordSteps();
  mkdirSync(LINT_DIR, { recursive: true });
  const findings: LintFinding[] = [];
  for (const [key, statements] of recorded) {
    const [migration, pass] = key.split(".") as [string, LintPass];
    const file = path.join(LINT_DIR, `${key}.sql`);
    writeFileSync(file, statements.map((s) => `${s.trim()};`).join("\n\n") + "\n");
    const exclusions = pass === "down" ? [...EXCLUSIONS, ...DOWN_ONLY_EXCLUSIONS] : EXCLUSIONS;
    for (const f of squawk(file, exclusions))
      findings.push({ migration, pass, rule: f.rule_name, message: f.message, line: f.line });
  }
  writeFileSync(FINDINGS_FILE, JSON.stringify({ lintedAt: new Date().toISOString(), findings }, null, 2));
  const statements = [...recorded.values()].reduce((n, s) => n + s.length, 0);
  console.log(
    `Linted ${statements} statements of ${recorded.size} steps (up, down, re-apply) with squawk (PostgreSQL 15 rules).`,
  );
  for (const f of findings)
    console.log(
      `${f.migration} ${f.pass}: ${f.rule}: ${f.message} (.data/lint/${f.migration}.${f.pass}.sql:${f.line})`,
    );
  console.log(`${findings.length} finding${findings.length === 1 ? "" : "s"}.`);
  return findings.length === 0 ? 0 : 1;
}
