// The locks a step takes, read from the statements it sends (as `npm run lint:migrations` recorded
// them in .data/lint/<migration>.<pass>.sql): per table, the strongest lock and what takes it.
// PostgreSQL's lock levels, weakest first; ACCESS EXCLUSIVE blocks reads too, SHARE ROW EXCLUSIVE
// and stronger block writes, SHARE UPDATE EXCLUSIVE (CONCURRENTLY builds, VALIDATE) blocks neither.

const LEVELS = ["ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE ROW EXCLUSIVE", "ACCESS EXCLUSIVE"] as const;
export type LockLevel = (typeof LEVELS)[number];

export interface StepLock {
  table: string;
  level: LockLevel;
  statements: number;
  blocks: "nothing" | "writes" | "reads and writes";
}

const RULES: Array<[RegExp, LockLevel]> = [
  [/^(?:create|drop) index concurrently (?:if (?:not )?exists )?"?\w+"?(?: on "?(\w+)"?)?/i, "SHARE UPDATE EXCLUSIVE"],
  [/^alter table "?(\w+)"? validate constraint/i, "SHARE UPDATE EXCLUSIVE"],
  [/^create (?:or replace )?trigger \w+\s+(?:before|after)[\s\S]*? on "?(\w+)"?/i, "SHARE ROW EXCLUSIVE"],
  [/^alter table "?(\w+)"?/i, "ACCESS EXCLUSIVE"],
  [/^drop trigger (?:if exists )?\w+ on "?(\w+)"?/i, "ACCESS EXCLUSIVE"],
  [/^alter index "?(\w+)"?/i, "ACCESS EXCLUSIVE"],
  [/^create index (?:if not exists )?\w+ on "?(\w+)"?/i, "SHARE ROW EXCLUSIVE"],
  [/^(?:update|insert into|delete from) "?(\w+)"?/i, "ROW EXCLUSIVE"],
];

const blocks = (level: LockLevel): StepLock["blocks"] =>
  level === "ACCESS EXCLUSIVE" ? "reads and writes" : level === "SHARE ROW EXCLUSIVE" ? "writes" : "nothing";

/** Splits a recording into statements and classifies each; comments (squawk's) are skipped. */
export function locksOf(recording: string): StepLock[] {
  const byTable = new Map<string, StepLock>();
  for (const raw of recording.split(/;\n\n/)) {
    const statement = raw.replace(/^\s*--[^\n]*\n/gm, "").trim();
    for (const [pattern, level] of RULES) {
      const match = pattern.exec(statement);
      if (!match) continue;
      const table = match[1] ?? "(index's table)";
      const seen = byTable.get(table);
      const stronger = !seen || LEVELS.indexOf(level) > LEVELS.indexOf(seen.level) ? level : seen.level;
      byTable.set(table, { table, level: stronger, statements: (seen?.statements ?? 0) + 1, blocks: blocks(stronger) });
      break;
    }
  }
  return [...byTable.values()].sort((a, b) => LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level));
}

/** The tightest lock_timeout the step sets for its statements (its own, or the step's bound). */
export function lockTimeoutOf(recording: string): string | null {
  const values = [...recording.matchAll(/set (?:local )?lock_timeout = '([^']+)'/gi)].map((m) => m[1]!);
  const ms = (v: string) =>
    /ms$/.test(v) ? parseFloat(v) : /min$/.test(v) ? parseFloat(v) * 60_000 : parseFloat(v) * 1000;
  return values.length ? values.reduce((a, b) => (ms(b) < ms(a) ? b : a)) : null;
}
