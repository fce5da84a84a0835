import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Kysely } from "kysely";
import { openDatabase } from "../client.js";
import { migrateUp } from "../migrator.js";
import type { Database } from "../schema.js";
import { loadDefaultData } from "../seed/default-data.js";

// An embedded test database is loaded from a copy of a data directory made once, instead of being
// created empty (PGlite's initdb, four seconds of each test file) and then migrated: the copy is
// made by the same migrateUp and loadDefaultData a test would run, and its name carries a hash of
// every source file under db/ and the engine's version, so any change to the schema's code makes
// a new one. Kept in node_modules/.cache, which a clean install starts without.

export type StartingPoint = "empty" | "migrated" | "default-data";

const DB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = path.dirname(DB_DIR);
const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "symbol-desk");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "test" ? [] : sourceFiles(full);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
    })
    .sort();
}

let versionHash: string | undefined;

/** A hash of what decides a starting point's contents: the code under db/ and the engine's version. */
function schemaVersion(): string {
  if (versionHash) return versionHash;
  const hash = createHash("sha256");
  hash.update(readFileSync(path.join(ROOT, "node_modules", "@electric-sql", "pglite", "package.json")));
  for (const file of sourceFiles(DB_DIR)) hash.update(path.relative(DB_DIR, file)).update(readFileSync(file));
  return (versionHash = hash.digest("hex").slice(0, 16));
}

/** Takes an empty database to `point`, as the tests' databases on either engine are. */
export async function bringTo(db: Kysely<Database>, point: StartingPoint): Promise<void> {
  if (point !== "empty") await migrateUp(db, { actor: "test" });
  if (point === "default-data") await loadDefaultData(db);
}

async function make(point: StartingPoint): Promise<Blob> {
  const conn = await openDatabase({ dataDir: ":memory:" });
  try {
    await bringTo(conn.db, point);
    return await conn.dumpDataDir!();
  } finally {
    await conn.close();
  }
}

const loaded = new Map<StartingPoint, Promise<Blob>>();

/** The copy for `point`, made here and stored when no test process has made it yet. */
export function startingPoint(point: StartingPoint): Promise<Blob> {
  let blob = loaded.get(point);
  if (!blob) {
    blob = (async () => {
      const file = path.join(CACHE_DIR, `pglite-${point}-${schemaVersion()}.tar`);
      try {
        // Read whole: a Blob of fs.openAsBlob left a read pending that kept test processes alive.
        return new Blob([new Uint8Array(readFileSync(file))]);
      } catch {
        const made = await make(point);
        // Written aside and renamed: a test process starting meanwhile reads a whole copy or none.
        mkdirSync(CACHE_DIR, { recursive: true });
        const partial = `${file}.${process.pid}`;
        writeFileSync(partial, Buffer.from(await made.arrayBuffer()));
        renameSync(partial, file);
        return made;
      }
    })();
    loaded.set(point, blob);
  }
  return blob;
}
