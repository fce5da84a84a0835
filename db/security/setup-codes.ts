import { createHash, randomInt } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import { countStaff } from "../repositories/staff.js";

// The one-time code that first-run setup asks for. While no staff account exists, the server
// makes one at start and prints it in its own terminal (nowhere a browser can read it), so only
// someone who started the server, or can read its output, can claim the first admin account.
// Only the sha256 is stored (the code carries 100 random bits: no slow hash needed). Each
// instance that starts adds its own; all of them go when the first admin is created.

/** Crockford's base32: no I, L, O or U, so a code read off a terminal is not mistyped. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const GROUPS = 4;
const GROUP_LENGTH = 5;

const hashCode = (normalized: string): string => createHash("sha256").update(normalized, "utf8").digest("hex");

/** Upper case, without the spaces and dashes people type between groups. */
export const normalizeSetupCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, "");

/** A new code for the first run, stored hashed; null when a staff account already exists. */
export async function issueSetupCode(db: Kysely<Database>): Promise<string | null> {
  if ((await countStaff(db)) > 0) return null;
  const groups = Array.from({ length: GROUPS }, () =>
    Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""),
  );
  const code = groups.join("-");
  await db
    .insertInto("setup_codes")
    .values({ code_hash: hashCode(normalizeSetupCode(code)) })
    .execute();
  return code;
}

/** True when `code` is one the server printed and setup has not used yet. */
export async function setupCodeIsValid(db: Kysely<Database>, code: string): Promise<boolean> {
  const normalized = normalizeSetupCode(code);
  if (normalized.length !== GROUPS * GROUP_LENGTH) return false;
  const row = await db
    .selectFrom("setup_codes")
    .select("code_hash")
    .where("code_hash", "=", hashCode(normalized))
    .executeTakeFirst();
  return row !== undefined;
}

/** Once the first admin exists, no code opens setup again. */
export async function clearSetupCodes(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom("setup_codes").execute();
}
