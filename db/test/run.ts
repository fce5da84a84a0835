import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

// Runs every *.test.ts under db/ and app/ with Node's test runner, two files at a time
// (one per core), each file's process ended once its tests have: an embedded engine loaded from a
// copy (pglite-starting-points.ts) keeps a ten-second timer of its own armed after it is closed.
// Pass file paths to run only those. Sessions the tests sign use a known secret
// (as a server's environment would give one), never one generated into .data/.

function findTests(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === "node_modules" || entry.startsWith(".")) return [];
    if (statSync(full).isDirectory()) return findTests(full);
    return entry.endsWith(".test.ts") ? [full] : [];
  });
}

const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["db", "app"].flatMap(findTests).sort();
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-force-exit", "--test-reporter=spec", ...files],
  {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "test", SESSION_SECRET: process.env.SESSION_SECRET ?? "test-secret" },
  },
);
process.exit(result.status ?? 1);
