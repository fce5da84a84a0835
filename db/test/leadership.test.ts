import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type DbConnection, openDatabase } from "../client.js";
import { assertSharedSecret, type Leadership, StartRefusedError, startLeadership } from "../leadership.js";
import { createServerDatabase } from "./engines.js";
import { eventually } from "./eventually.js";

// Leadership of the background work across instances, by advisory lock on direct sessions.

describe("leadership across instances [postgres]", () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let conn: DbConnection;
  const started: Leadership[] = [];
  const start = (id: string) => {
    const leadership = startLeadership(conn, id);
    started.push(leadership);
    return leadership;
  };

  before(async () => {
    database = await createServerDatabase("sd_leader");
    conn = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
  });
  after(async () => {
    await Promise.all(started.map((l) => l.close()));
    await conn?.close();
    await database?.drop();
  });

  it("gives the lead to one instance, counts both, and hands it over when the leader stops", async () => {
    const a = start("a");
    await a.ready;
    const b = start("b");
    await b.ready;
    await eventually(() => a.status().instances === 2 && b.status().instances === 2, "both instances counted");
    assert.equal(a.isLeader(), true);
    assert.equal(b.isLeader(), false);
    await a.close();
    await eventually(() => b.isLeader(), "b to take the lead", { timeoutMs: 6_000 });
    await eventually(() => b.status().instances === 1, "one instance left", { timeoutMs: 6_000 });
  });

  it("refuses a second instance without SESSION_SECRET, and accepts it with one", async () => {
    const first = start("first");
    await first.ready;
    const second = start("second");
    await second.ready;
    await eventually(() => (second.status().instances ?? 0) >= 2, "two instances counted");
    assert.throws(() => assertSharedSecret(conn, second, false), StartRefusedError);
    assert.doesNotThrow(() => assertSharedSecret(conn, second, true));
  });
});
