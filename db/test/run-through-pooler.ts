import { spawn } from "node:child_process";
import { startPgBouncer } from "./topology/pgbouncer.js";

// The integration suite once more, on PostgreSQL through PgBouncer in transaction mode: every
// test database is opened with DATABASE_URL at the pooler and DATABASE_DIRECT_URL at the server
// (engines.ts reads TEST_POOLER_PORT). Arguments are passed on to run.ts (say, a few files).

const bouncer = await startPgBouncer({ poolSize: 6 });
let status = 1;
try {
  status = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "db/test/run.ts", ...process.argv.slice(2)], {
      stdio: "inherit",
      env: { ...process.env, TEST_ENGINES: "postgres", TEST_POOLER_PORT: String(bouncer.port) },
    });
    child.on("exit", (code) => resolve(code ?? 1));
  });
} finally {
  await bouncer.stop();
}
process.exit(status);
