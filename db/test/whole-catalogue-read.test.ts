import assert from "node:assert/strict";
import { it } from "node:test";
import { sql } from "kysely";
import { readWholeCatalogue } from "../whole-catalogue-read.js";
import { forEachEngine } from "./engines.js";

forEachEngine("a read of the whole catalogue", (ctx) => {
  it("runs without JIT compilation, and leaves the session's setting as it was", async () => {
    const jit = async (db: Parameters<typeof readWholeCatalogue>[0]) =>
      (await sql<{ jit: string }>`select current_setting('jit') as jit`.execute(db)).rows[0]!.jit;
    const before = await jit(ctx.conn.db);
    assert.equal(await readWholeCatalogue(ctx.conn.db, (trx) => jit(trx)), "off");
    assert.equal(await jit(ctx.conn.db), before);
  });
});
