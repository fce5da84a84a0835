// What rolling a migration back takes: the migrator rolls back one migration at a time in name
// order, latest name first (also for one applied out of order), so every applied migration named
// after it comes off before it does.

/** The rollbacks that run, in the order they run, to take `target` off; empty when it is not applied. */
export function rollbackSteps(appliedNames: readonly string[], target: string): string[] {
  if (!appliedNames.includes(target)) return [];
  return appliedNames.filter((name) => name >= target).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/** A sentence naming every step, for a migration that is not the next one to roll back; else null. */
export function rollbackStepsSentence(appliedNames: readonly string[], target: string): string | null {
  const steps = rollbackSteps(appliedNames, target);
  if (steps.length < 2) return null;
  return (
    `Rolling back ${target} takes ${steps.length} steps, in this order: ${steps.slice(0, -1).join(", ")}, ` +
    `then ${target} itself.`
  );
}
