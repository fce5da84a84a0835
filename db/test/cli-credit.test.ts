import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { createServerDatabase } from "./engines.js";

// `npm start` migrates through `db prepare`: those runs are credited to the operating-system
// account and the command, even in a service or container that sets no $USER or $LOGNAME.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

test("migrations run by `db prepare` are credited to the OS user and the command, never cli:unknown", async () => {
  const database = await createServerDatabase("sd_cli_credit");
  try {
    const env = { PATH: process.env.PATH ?? "", DATABASE_URL: database.url, NODE_ENV: "production" as const };
    await promisify(execFile)(process.execPath, ["--import", "tsx", "db/cli.ts", "prepare"], {
      cwd: ROOT,
      env,
      timeout: 120_000,
    });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ actor: string }>("select distinct actor from migration_runs");
      assert.deepEqual(
        rows.map((r) => r.actor),
        [`cli:${os.userInfo().username} (prepare)`],
      );
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
  }
});
