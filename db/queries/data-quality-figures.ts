import { type Kysely, sql } from "kysely";
import { type FigureVerdict, judgeFigure } from "../rules/expected-figures.js";
import type { Database } from "../schema.js";
import { readWholeCatalogue } from "../whole-catalogue-read.js";

// The figures of the seed's health check `SELECT * FROM v_symbol_data_quality`, in the view's
// order, each with the verdict of the go/no-go criteria. The view's counts are bigint, which
// node-postgres returns as strings: made numbers here.

export interface DataQualityFigure extends FigureVerdict {
  metric: string;
  value: number;
}

export async function listDataQualityFigures(db: Kysely<Database>): Promise<DataQualityFigure[]> {
  const { rows } = await readWholeCatalogue(db, (trx) =>
    sql<{ metric: string; value: string | number }>`select metric, value from v_symbol_data_quality`.execute(trx),
  );
  return rows.map((row) => {
    const value = Number(row.value);
    return { metric: row.metric, value, ...judgeFigure(row.metric, value) };
  });
}
