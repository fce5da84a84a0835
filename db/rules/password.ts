import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

// The one password rule for staff accounts, wherever a password is chosen: first-run setup, an
// invitation or reset link, /account and the CLI. At least 12 characters, at most 72 bytes
// (bcrypt ignores the rest), and a zxcvbn score of at least 3 against the common-password and
// English dictionaries and the person's own name and email. A refusal says why, in zxcvbn's words.

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_BYTES = 72;
/** zxcvbn's "safely unguessable: moderate protection from offline slow-hash scenario". */
export const MIN_PASSWORD_SCORE = 3;

/** What a form says next to a new-password field, before anyone types. */
export const PASSWORD_HINT = `At least ${MIN_PASSWORD_LENGTH} characters, and not easy to guess (no common words, names or patterns).`;

let estimator: ZxcvbnFactory | undefined;

// The dictionaries are large: built on first use, not when a module that imports this loads.
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator;
}

/**
 * Why `password` is refused, or null when it is acceptable. `personal` holds what an attacker
 * would try first for this account (email, display name).
 */
export function passwordProblem(password: string, personal: readonly string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters (this one has ${password.length}).`;
  }
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) {
    return `Use at most ${MAX_PASSWORD_BYTES} bytes: longer passwords are cut short when stored.`;
  }
  const inputs = personal.flatMap((value) => [value, ...value.split(/[\s@._-]+/)]).filter((v) => v.length >= 3);
  const result = zxcvbn().check(password, inputs);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const reasons = [result.feedback.warning, ...result.feedback.suggestions].filter((text): text is string => !!text);
  return (
    `This password is too easy to guess. ` +
    `${reasons.length ? reasons.join(" ") : "Add more words that are less common."}`
  );
}

export class WeakPasswordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WeakPasswordError";
  }
}

/** Throws WeakPasswordError with the reason when the password breaks the rule. */
export function assertAcceptablePassword(password: string, personal: readonly string[] = []): void {
  const problem = passwordProblem(password, personal);
  if (problem) throw new WeakPasswordError(problem);
}
