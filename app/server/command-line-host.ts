import { hostCli } from "#db/cli-remote";
import type { Config } from "#db/config";
import { getDb } from "../utils/db.server";

/**
 * On the embedded engine, `npm run db -- …` run beside this server is handed to it
 * (db/cli-remote.ts). On a PostgreSQL server every process opens its own connection instead.
 */
export async function hostCommandLine(settings: Pick<Config, "DATABASE_URL" | "SYMBOL_DESK_DATA_DIR">): Promise<void> {
  if (settings.DATABASE_URL || settings.SYMBOL_DESK_DATA_DIR === ":memory:") return;
  let conn;
  try {
    conn = await getDb();
  } catch {
    // The engine could not be opened (say, another server holds it): that server takes the commands.
    return;
  }
  const { runCommand } = await import("#db/cli");
  const host = await hostCli(conn, settings.SYMBOL_DESK_DATA_DIR, runCommand);
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void host.close());
  process.once("exit", () => void host.close());
}
