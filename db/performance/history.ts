import { type Kysely, sql } from "kysely";
import type { Selectable } from "kysely";
import type { Database, QueryMeasurementTable } from "../schema.js";
import { type QueryMeasurement, type RunSample, relationSizes } from "./measure.js";
import { analyzePlan, type PlanDocument, type PlanNodeView, planRelations } from "./plan.js";

// Every measurement of a critical query, stored with its plan and the schema version it ran on,
// so the panel can chart a query's history and show a regression next to the migration that
// caused it.

const RETENTION_PER_QUERY = 500;

export interface StoredMeasurement {
  id: string;
  queryId: string;
  measuredAt: Date;
  engineLabel: string;
  actor: string;
  runs: number;
  execution: { medianMs: number; p95Ms: number };
  planning: { medianMs: number; p95Ms: number };
  targetMs: number;
  samples: RunSample[];
  parameters: Record<string, string | number>;
  schemaVersion: string | null;
  note: string | null;
}

export interface StoredMeasurementWithPlan extends StoredMeasurement {
  plan: PlanDocument;
  tree: PlanNodeView;
}

/** The latest applied migration: what a measurement's schema looked like. */
export async function schemaVersion(db: Kysely<Database>): Promise<string | null> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(
      db,
    );
    return rows[0]?.name ?? null;
  } catch {
    return null;
  }
}

export async function storeMeasurement(
  db: Kysely<Database>,
  measurement: QueryMeasurement,
  actor: string,
): Promise<string> {
  const version = await schemaVersion(db);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("query_measurements")
      .values({
        query_id: measurement.queryId,
        measured_at: measurement.measuredAt,
        engine_label: measurement.engineLabel,
        actor,
        runs: measurement.samples.length,
        execution_median_ms: measurement.execution.medianMs,
        execution_p95_ms: measurement.execution.p95Ms,
        planning_median_ms: measurement.planning.medianMs,
        planning_p95_ms: measurement.planning.p95Ms,
        target_ms: measurement.targetMs,
        samples: JSON.stringify(measurement.samples),
        parameters: JSON.stringify(measurement.parameters),
        plan: JSON.stringify(measurement.plan),
        schema_version: version,
        note: measurement.note,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // Keep the newest RETENTION_PER_QUERY of this query.
    await sql`delete from query_measurements where query_id = ${measurement.queryId} and id not in (
      select id from query_measurements where query_id = ${measurement.queryId}
      order by measured_at desc limit ${RETENTION_PER_QUERY})`.execute(trx);
    return row.id;
  });
}

type Row = Omit<Selectable<QueryMeasurementTable>, "plan">;

function fromRow(row: Row): StoredMeasurement {
  return {
    id: row.id,
    queryId: row.query_id,
    measuredAt: new Date(row.measured_at),
    engineLabel: row.engine_label,
    actor: row.actor,
    runs: row.runs,
    execution: { medianMs: row.execution_median_ms, p95Ms: row.execution_p95_ms },
    planning: { medianMs: row.planning_median_ms, p95Ms: row.planning_p95_ms },
    targetMs: row.target_ms,
    samples: (Array.isArray(row.samples) ? row.samples : []) as RunSample[],
    parameters: (row.parameters && typeof row.parameters === "object" ? row.parameters : {}) as Record<
      string,
      string | number
    >,
    schemaVersion: row.schema_version,
    note: row.note,
  };
}

const SUMMARY_COLUMNS = [
  "id",
  "query_id",
  "measured_at",
  "engine_label",
  "actor",
  "runs",
  "execution_median_ms",
  "execution_p95_ms",
  "planning_median_ms",
  "planning_p95_ms",
  "target_ms",
  "samples",
  "parameters",
  "schema_version",
  "note",
] as const;

/** The latest `limit` measurements of each query, oldest first (for charting). */
export async function measurementHistory(
  db: Kysely<Database>,
  queryId: string,
  limit = 30,
): Promise<StoredMeasurement[]> {
  const rows = await db
    .selectFrom("query_measurements")
    .select(SUMMARY_COLUMNS)
    .where("query_id", "=", queryId)
    .orderBy("measured_at", "desc")
    .limit(limit)
    .execute();
  return rows.map(fromRow).reverse();
}

export async function measurementWithPlan(db: Kysely<Database>, id: string): Promise<StoredMeasurementWithPlan | null> {
  const row = await db
    .selectFrom("query_measurements")
    .select([...SUMMARY_COLUMNS, "plan"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const plan = row.plan as PlanDocument;
  return { ...fromRow(row), plan, tree: analyzePlan(plan, await relationSizes(db, planRelations(plan))) };
}
