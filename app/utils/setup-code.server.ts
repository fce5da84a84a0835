import { issueSetupCode } from "#db/security/setup-codes";
import { withDb } from "./db.server";

/**
 * At start, while no staff account exists: makes a setup code and prints it in the server's own
 * terminal, the one place it is shown. First-run setup (/setup) asks for it.
 */
export async function announceSetupCode(log: (line: string) => void = console.log): Promise<void> {
  const code = await withDb(({ db }) => issueSetupCode(db));
  if (!code) return;
  log(`[setup] No admin account yet. The first admin is created at /setup with this one-time setup code:`);
  log(`[setup]     ${code}`);
  log(`[setup] It works until the first admin exists (restarting prints another; earlier ones keep working).`);
}
