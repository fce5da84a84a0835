import { randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { CATALOGUE_TABLES } from "../checks/catalogue-objects.js";
import { type DbConnection, type OpenOptions, openDatabase } from "../client.js";
import { migrateUp } from "../migrator.js";
import type { Database } from "../schema.js";

// A throwaway copy of the live database for a migration rehearsal, on the same engine so its
// timings mean something.
// - PostgreSQL server: CREATE DATABASE … TEMPLATE, an exact copy in one statement. PostgreSQL
//   refuses it while any other session is connected to the source (a running app always has some),
//   so when it is refused a fresh database is made instead: migrated to the same version and
//   loaded with a copy of the catalogue tables.
// - Embedded engine: an in-memory database, migrated the same way and loaded with the catalogue.

export interface ScratchDatabase {
  conn: DbConnection;
  method: "template" | "copy";
  /** How the copy was made, and why not by TEMPLATE when it was not. */
  note: string;
  drop(): Promise<void>;
}

const COPY_BATCH = 1_000;

async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((r) => r.name);
}

/** Rows of one table, in id batches, inserted as they are (triggers off where the engine allows). */
async function copyTable(
  from: Kysely<Database>,
  to: Kysely<Database>,
  table: string,
): Promise<{ rows: number; triggersOff: boolean }> {
  let after: string | null = null;
  let copied = 0;
  let triggersOff = true;
  for (;;) {
    const { rows }: { rows: Record<string, unknown>[] } = await sql<Record<string, unknown>>`
      select * from ${sql.table(table)} ${after === null ? sql`` : sql`where id > ${after}::uuid`}
      order by id limit ${COPY_BATCH}`.execute(from);
    if (rows.length === 0) break;
    const insert = async (replica: boolean) =>
      to.transaction().execute(async (trx) => {
        // A copy, not new data: the insert triggers would fill in values the source left empty.
        if (replica) await sql`set local session_replication_role = replica`.execute(trx);
        await trx
          .insertInto(table as keyof Database)
          .values(rows as never)
          .execute();
      });
    try {
      await insert(triggersOff);
    } catch (error) {
      // Not a superuser on the server: copy with the triggers on, and say so.
      if (!triggersOff || (error as { code?: string }).code !== "42501") throw error;
      triggersOff = false;
      await insert(false);
    }
    copied += rows.length;
    after = String(rows[rows.length - 1]!.id);
  }
  return { rows: copied, triggersOff };
}

async function loadCopy(source: Kysely<Database>, scratch: DbConnection): Promise<string> {
  const applied = await appliedMigrations(source);
  const last = applied.at(-1);
  if (last) await migrateUp(scratch.db, { actor: "rehearsal", target: last });
  const counts: string[] = [];
  let triggersOff = true;
  for (const table of CATALOGUE_TABLES) {
    const result = await copyTable(source, scratch.db, table);
    triggersOff &&= result.triggersOff;
    counts.push(`${result.rows} ${table}`);
  }
  await sql`analyze`.execute(scratch.db);
  return `copied ${counts.join(", ")}${triggersOff ? "" : " (with insert triggers on: no superuser)"}`;
}

function scratchUrl(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function openOnServer(source: DbConnection, databaseUrl: string): Promise<ScratchDatabase> {
  const name = `sd_rehearsal_${randomBytes(5).toString("hex")}`;
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(source.db);
  const current = rows[0]!.name;
  let method: ScratchDatabase["method"] = "template";
  let note: string;
  try {
    await sql`create database ${sql.id(name)} template ${sql.id(current)}`.execute(source.direct);
    note = `CREATE DATABASE ${name} TEMPLATE ${current}: an exact copy`;
  } catch (error) {
    method = "copy";
    const reason = error instanceof Error ? error.message : String(error);
    await sql`create database ${sql.id(name)}`.execute(source.direct);
    note = `CREATE DATABASE … TEMPLATE was refused (${reason}); used a fresh database instead`;
  }
  const drop = async () => {
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(source.direct);
  };
  try {
    const conn = await openDatabase({ databaseUrl: scratchUrl(databaseUrl, name), poolSize: 2 });
    if (method === "copy") {
      try {
        note += `, ${await loadCopy(source.db, conn)}`;
      } catch (error) {
        await conn.close();
        throw error;
      }
    }
    return {
      conn,
      method,
      note,
      drop: async () => {
        await conn.close();
        await drop();
      },
    };
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
}

async function openEmbedded(source: DbConnection): Promise<ScratchDatabase> {
  const conn = await openDatabase({ dataDir: ":memory:" });
  try {
    const note = `an in-memory embedded database, ${await loadCopy(source.db, conn)}`;
    return { conn, method: "copy", note, drop: () => conn.close() };
  } catch (error) {
    await conn.close();
    throw error;
  }
}

/** `sourceOptions` are the options `source` was opened with (they say which engine it is). */
export function openScratchCopy(source: DbConnection, sourceOptions: OpenOptions): Promise<ScratchDatabase> {
  // The copy is made and used over the direct URL: a pooler knows only the databases it is told of.
  const serverUrl = sourceOptions.databaseDirectUrl ?? sourceOptions.databaseUrl;
  return serverUrl ? openOnServer(source, serverUrl) : openEmbedded(source);
}
