import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { openDatabase } from "./client.js";
import { MIGRATIONS } from "./migrations/index.js";

// Lints exactly the SQL the migrations send, not a hand-written copy of it: every migration's
// `up` runs on a throwaway embedded database while its statements are recorded, then `down` and
// `up` again (the re-apply path restores saved values), and squawk checks the recording.

/**
 * Rules that do not apply here, each with the reason. A rollback by definition removes what its
 * `up` added (20250108 saves the values first), so drops are expected in `down` only.
 */
const DOWN_ONLY_EXCLUSIONS = ["ban-drop-column", "ban-drop-table"];
const EXCLUSIONS = [
  // Tables are created empty by the baseline; there is no traffic to protect yet.
  "require-timeout-settings",
  // myTrader's existing schema uses integer and timestamptz columns; changing types is out of scope.
  "prefer-bigint-over-int",
  "prefer-identity",
];

function squawk(file: string, exclusions: string[]): number {
  const require = createRequire(import.meta.url);
  const bin = path.join(path.dirname(require.resolve("squawk-cli/package.json")), "js", "bin", "squawk");
  const result = spawnSync(process.execPath, [bin, "--pg-version", "15", "--exclude", exclusions.join(","), file], {
    stdio: "inherit",
  });
  return result.status ?? 1;
}

export async function lintMigrations(): Promise<number> {
  const up: string[] = [];
  const down: string[] = [];
  let target = up;
  const conn = await openDatabase({ dataDir: ":memory:", onQuery: (sql) => target.push(sql) });
  try {
    const names = Object.keys(MIGRATIONS).sort();
    for (const name of names) await MIGRATIONS[name]!.up(conn.db);
    target = down;
    for (const name of [...names].reverse()) await MIGRATIONS[name]!.down!(conn.db);
    target = up;
    for (const name of names) await MIGRATIONS[name]!.up(conn.db);
  } finally {
    await conn.close();
  }
  const dir = path.resolve(".data", "lint");
  mkdirSync(dir, { recursive: true });
  const toFile = (name: string, statements: string[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, statements.map((s) => `${s.trim()};`).join("\n\n") + "\n");
    return file;
  };
  console.log(`Linting ${up.length} statements of up and ${down.length} of down with squawk (PostgreSQL 15 rules).`);
  const upStatus = squawk(toFile("up.sql", up), EXCLUSIONS);
  const downStatus = squawk(toFile("down.sql", down), [...EXCLUSIONS, ...DOWN_ONLY_EXCLUSIONS]);
  return upStatus === 0 && downStatus === 0 ? 0 : 1;
}
