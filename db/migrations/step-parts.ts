import { AsyncLocalStorage } from "node:async_hooks";
import { type Kysely, type KyselyPlugin, PostgresQueryCompiler, type QueryId } from "kysely";

// Where a migration step spends its time, measured from outside the migration (the files are
// frozen in time and stay unchanged): every statement the step sends is timed and put under the
// part of the work it does, by what it says. The migrator collects the parts of each step it runs
// (`timedParts`), the bench prints them and rehearsals store them, so a slow step says which part
// is slow.

export interface StepPart {
  part: string;
  ms: number;
  statements: number;
}

/** First match names the part; statements are compared lower-cased, squawk comments removed. */
const PARTS: Array<[RegExp, string]> = [
  [/^insert into "?symbols_\d+_backup"?/, "backup of the columns"],
  [/^update symbols s set[\s\S]* from "?symbols_\d+_backup"?/, "restore from the backup"],
  [/^alter table symbols\s+add column/, "add the columns"],
  [/^alter table \S+\s+drop column/, "drop the columns"],
  [/^drop index concurrently/, "index drops"],
  [/^create index concurrently [\s\S]* on "?user_dashboard_preferences"?/, "index builds (preferences)"],
  [/^create (unique )?index concurrently/, "index builds (symbols and others)"],
  [/^alter table \S+ validate constraint/, "constraint validation"],
  [/^alter table \S+ add constraint/, "constraints added NOT VALID"],
  [/fastupdate|gin_clean_pending_list/, "trigram pending-list merge"],
  [/^update symbols set data_provider_id/, "provider backfill"],
  [/^analyze/, "analyze"],
  [/^drop table/, "table drops"],
];

const OTHER = "catalogue look-ups, triggers, functions, views";

export function partOf(statement: string): string {
  const text = statement
    .replace(/^\s*--[^\n]*\n/gm, "")
    .trim()
    .toLowerCase();
  return PARTS.find(([pattern]) => pattern.test(text))?.[1] ?? OTHER;
}

const collectors = new AsyncLocalStorage<Map<string, StepPart>>();
const compiler = new PostgresQueryCompiler();

/** Runs `work` (one migration step) and returns the parts of what it sent, in the order first seen. */
export async function timedParts<T>(work: () => Promise<T>): Promise<{ value: T; parts: StepPart[] }> {
  const parts = new Map<string, StepPart>();
  const value = await collectors.run(parts, work);
  return { value, parts: [...parts.values()].map((p) => ({ ...p, ms: Math.round(p.ms) })) };
}

/** The step's connection with every statement timed into the current collector (unchanged when none). */
export function withPartTimer(db: Kysely<any>): Kysely<any> {
  const parts = collectors.getStore();
  if (!parts) return db;
  const started = new Map<QueryId, { at: number; part: string }>();
  const timer: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      started.set(queryId, { at: performance.now(), part: partOf(compiler.compileQuery(node, queryId).sql) });
      return node;
    },
    async transformResult({ queryId, result }) {
      const start = started.get(queryId);
      if (start) {
        started.delete(queryId);
        const seen = parts.get(start.part) ?? { part: start.part, ms: 0, statements: 0 };
        seen.ms += performance.now() - start.at;
        seen.statements++;
        parts.set(start.part, seen);
      }
      return result;
    },
  };
  return db.withPlugin(timer);
}

/** "backup of the columns 310 ms, index drops 95 ms (6), …": the parts of a step on one line. */
export const partsLine = (parts: readonly StepPart[]): string =>
  parts.map((p) => `${p.part} ${p.ms} ms${p.statements > 1 ? ` (${p.statements})` : ""}`).join(", ");
