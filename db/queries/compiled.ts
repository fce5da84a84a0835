import {
  type Compilable,
  type CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from "kysely";
import type { Database } from "../schema.js";

// Hot queries compiled to SQL once, at module load, and run with each call's parameters. Building
// and compiling a Kysely query costs more CPU than a small indexed read takes in PostgreSQL (about
// a quarter of the user endpoint's time under load). Their SQL is listed in PREPARABLE with a
// statement name: on a direct connection each session keeps them as named prepared statements,
// parsed and planned once rather than on every call (db/client.ts). Behind a transaction pooler
// (PgBouncer 1.18 cannot carry named statements, docs/deployment.md) and on the embedded engine
// they are sent unnamed, as every other query is.

/** Compiles queries without a connection: both engines speak PostgreSQL's SQL. */
export const compiler = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** The SQL of each query compiled here, with the name a session keeps it under as a prepared statement. */
export const PREPARABLE = new Map<string, string>();

export type CompiledRead<P extends string, R> = (db: Kysely<Database>, values: Record<P, unknown>) => Promise<R[]>;

/**
 * `build` receives a placeholder for each name in `params` and returns the query; the result runs
 * it with the values given then. The placeholders must reach the query as parameters (compared
 * with `=`, not spliced in as identifiers or literals), which compiling checks.
 */
export function compileOnce<P extends string, R>(
  params: readonly P[],
  build: (db: Kysely<Database>, placeholders: Record<P, string>) => Compilable<R>,
): CompiledRead<P, R> {
  const placeholders = Object.fromEntries(params.map((name) => [name, `\u0000${name}\u0000`])) as Record<P, string>;
  const compiled: CompiledQuery<R> = build(compiler, placeholders).compile();
  const slots = compiled.parameters.map((value) => params.find((name) => placeholders[name] === value) ?? null);
  for (const name of params) {
    if (!slots.includes(name)) throw new Error(`compileOnce: the parameter ${name} is not used by the query`);
  }
  if (compiled.sql.includes("\u0000")) throw new Error("compileOnce: a placeholder was written into the SQL");
  if (!PREPARABLE.has(compiled.sql)) PREPARABLE.set(compiled.sql, `symbol_desk_${PREPARABLE.size + 1}`);
  return async (db, values) => {
    const parameters = slots.map((slot, i) => (slot === null ? compiled.parameters[i] : values[slot]));
    const { rows } = await db.executeQuery<R>({ ...compiled, parameters });
    return rows;
  };
}
