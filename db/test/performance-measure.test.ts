import assert from "node:assert/strict";
import { it, test } from "node:test";
import { sql } from "kysely";
import { comparePlans } from "../performance/compare.js";
import { CRITICAL_QUERIES, criticalQuery } from "../performance/critical-queries.js";
import { measurementHistory, measurementWithPlan, storeMeasurement } from "../performance/history.js";
import { measureQuery, median, percentile } from "../performance/measure.js";
import { analyzePlan, flattenPlan, type PlanDocument, type RawPlanNode } from "../performance/plan.js";
import { loadDemoData } from "../seed/demo-data.js";
import { forEachEngine } from "./engines.js";

// EXPLAIN ANALYZE measurements: figures (median, p95), the plan read into a tree with its
// badges, stored history and the comparison of two plans. The badge rules are tested on a plan
// written by hand; the rest on both engines.

const node = (fields: Record<string, unknown>, plans: RawPlanNode[] = []): RawPlanNode => ({
  "Node Type": "?",
  "Actual Loops": 1,
  "Plan Rows": 10,
  "Actual Rows": 10,
  "Actual Total Time": 0.1,
  ...fields,
  ...(plans.length ? { Plans: plans } : {}),
});

const HAND_WRITTEN: PlanDocument = {
  "Planning Time": 0.2,
  "Execution Time": 40,
  Plan: node({ "Node Type": "Limit", "Actual Total Time": 40 }, [
    node(
      {
        "Node Type": "Sort",
        "Sort Method": "external merge",
        "Sort Space Type": "Disk",
        "Actual Total Time": 39,
        "Temp Written Blocks": 120,
      },
      [
        node(
          {
            "Node Type": "Nested Loop",
            "Join Type": "Inner",
            "Actual Total Time": 12,
            "Plan Rows": 5,
            "Actual Rows": 50_000,
          },
          [
            node({
              "Node Type": "Seq Scan",
              "Relation Name": "symbols",
              Alias: "s",
              "Actual Total Time": 8,
              "Plan Rows": 50_000,
              "Actual Rows": 50_000,
              "Shared Hit Blocks": 900,
              "Shared Read Blocks": 40,
            }),
            node({
              "Node Type": "Index Scan",
              "Relation Name": "markets",
              "Index Name": "markets_pkey",
              "Actual Loops": 50_000,
              "Actual Total Time": 0.00006,
              "Plan Rows": 1,
              "Actual Rows": 1,
            }),
          ],
        ),
      ],
    ),
  ]),
};

test("a plan is read into a tree with node type, relation, index, rows, loops, time and buffers", () => {
  const tree = analyzePlan(HAND_WRITTEN, { symbols: 50_000, markets: 3 });
  const nodes = flattenPlan(tree);
  assert.deepEqual(
    nodes.map((n) => n.path),
    ["0", "0.0", "0.0.0", "0.0.0.0", "0.0.0.1"],
  );
  const scan = nodes[3]!;
  assert.equal(scan.nodeType, "Seq Scan");
  assert.equal(scan.relation, "symbols");
  assert.equal(scan.alias, "s");
  assert.equal(scan.sharedHit, 900);
  assert.equal(scan.sharedRead, 40);
  const lookup = nodes[4]!;
  assert.equal(lookup.index, "markets_pkey");
  assert.equal(lookup.loops, 50_000);
  assert.ok(Math.abs(lookup.totalMs - 3) < 1e-9, "time is per loop times loops");
  assert.ok(Math.abs(nodes[1]!.selfMs - 27) < 1e-9, "a node's own time excludes its children");
});

test("badges: seq scan on a large table, misestimate of 10× or more, sort spilled to disk, slowest node", () => {
  const nodes = flattenPlan(analyzePlan(HAND_WRITTEN, { symbols: 50_000, markets: 3 }));
  const badges = Object.fromEntries(nodes.map((n) => [n.nodeType, n.badges]));
  assert.deepEqual(badges["Seq Scan"], ["seq-scan-large"]);
  assert.deepEqual(badges["Nested Loop"], ["misestimate"]);
  assert.deepEqual(badges["Sort"], ["sort-spilled", "slowest"]);
  assert.deepEqual(badges["Index Scan"], []);
  // The same scan on a small table is no finding.
  const small = flattenPlan(
    analyzePlan(
      {
        ...HAND_WRITTEN,
        Plan: node({ "Node Type": "Seq Scan", "Relation Name": "markets", "Plan Rows": 3, "Actual Rows": 3 }),
      },
      { markets: 3 },
    ),
  );
  assert.deepEqual(small[0]!.badges, ["slowest"]);
});

test("median and p95 by nearest rank", () => {
  const values = Array.from({ length: 20 }, (_, i) => i + 1); // 1..20
  assert.equal(median(values), 10.5);
  assert.equal(percentile(values, 95), 19);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(percentile([5], 95), 5);
});

test("comparing two plans marks the nodes that changed", () => {
  const before = analyzePlan(HAND_WRITTEN);
  const afterDoc = structuredClone(HAND_WRITTEN);
  const scan = afterDoc.Plan.Plans![0]!.Plans![0]!.Plans![0]!;
  Object.assign(scan, { "Node Type": "Index Scan", "Index Name": "ix_symbols_broadcast_queue" });
  const comparison = comparePlans(before, analyzePlan(afterDoc));
  assert.equal(comparison.samePlan, false);
  assert.equal(comparison.changedCount, 1);
  const changed = comparison.nodes.find((n) => n.kind === "changed");
  assert.equal(changed?.before, "Seq Scan on symbols");
  assert.equal(changed?.after, "Index Scan using ix_symbols_broadcast_queue on symbols");
  assert.equal(comparePlans(before, before).samePlan, true);
});

forEachEngine("EXPLAIN ANALYZE of the critical queries", (ctx) => {
  it("measure each query N times with planning and execution figures and a plan on its index", async () => {
    await loadDemoData(ctx.conn.db, { symbols: 300, users: 10, preferences: 100, seed: "perf" });
    await sql`analyze`.execute(ctx.conn.db);
    for (const query of CRITICAL_QUERIES) {
      const m = await measureQuery(ctx.conn, query, { runs: 20, budgetMs: 30_000 });
      assert.equal(m.samples.length, 20);
      assert.ok(m.execution.medianMs > 0 && m.execution.p95Ms >= m.execution.medianMs);
      assert.ok(m.planning.medianMs > 0 && m.planning.p95Ms >= m.planning.medianMs);
      assert.equal(m.engineLabel, ctx.conn.engineLabel);
      // On a few hundred rows the planner may rightly prefer sequential scans; the partial
      // covering index of the defaults is the cheapest plan at any size.
      if (query.id === "default-symbols")
        assert.ok(flattenPlan(m.tree).some((n) => n.index === "ix_symbols_default_order"));
      assert.ok(flattenPlan(m.tree).every((n) => n.loops >= 1 && n.totalMs >= 0 && n.estimatedRows >= 0));
      assert.ok(flattenPlan(m.tree).some((n) => n.badges.includes("slowest")));
      if (query.id === "user-symbols")
        assert.ok(Number(m.parameters.visible_preferences) > 0, "a user who has preferences is measured");
      console.log(
        `[explain ${ctx.engine}] ${query.id}: execution median ${m.execution.medianMs.toFixed(3)} ms, ` +
          `p95 ${m.execution.p95Ms.toFixed(3)} ms; ` +
          `planning median ${m.planning.medianMs.toFixed(3)} ms, ` +
          `p95 ${m.planning.p95Ms.toFixed(3)} ms (target ` +
          `${query.targetMs} ms)`,
      );
    }
  });

  it("run the measurement read-only: a query that writes is refused", async () => {
    const writing = {
      ...criticalQuery("default-symbols")!,
      build: async () => ({
        query: { compile: () => sql`update symbols set display = display`.compile(ctx.conn.db) },
        parameters: {},
      }),
    };
    await assert.rejects(measureQuery(ctx.conn, writing, { runs: 1 }), /read-only transaction/);
  });

  it("stop at the time budget between runs and say so", async () => {
    const m = await measureQuery(ctx.conn, criticalQuery("broadcast-list")!, { runs: 100, budgetMs: 0 });
    assert.equal(m.samples.length, 1);
    assert.match(m.note ?? "", /^Stopped after 1 of 100 runs: the 0 s time budget/);
  });

  it("store measurements and read back the history and a plan", async () => {
    const query = criticalQuery("default-symbols")!;
    const ids: string[] = [];
    for (let i = 0; i < 2; i++)
      ids.push(await storeMeasurement(ctx.conn.db, await measureQuery(ctx.conn, query, { runs: 5 }), "test"));
    const history = await measurementHistory(ctx.conn.db, query.id);
    assert.deepEqual(
      history.map((h) => h.id),
      ids,
      "oldest first",
    );
    assert.equal(history[0]!.runs, 5);
    assert.equal(history[0]!.samples.length, 5);
    assert.match(history[0]!.schemaVersion ?? "", /^2025\d{4}_/);
    const stored = await measurementWithPlan(ctx.conn.db, ids[1]!);
    assert.ok(stored);
    assert.equal(stored.tree.nodeType, flattenPlan(stored.tree)[0]!.nodeType);
    assert.ok(flattenPlan(stored.tree).some((n) => n.index === "ix_symbols_default_order"));
    assert.equal(await measurementWithPlan(ctx.conn.db, "00000000-0000-0000-0000-000000000000"), null);
  });

  it("show a regression after the index is dropped: the plan changes and the comparison says where", async () => {
    const query = criticalQuery("default-symbols")!;
    const before = await measureQuery(ctx.conn, query, { runs: 3 });
    await sql`drop index ix_symbols_default_order`.execute(ctx.conn.db);
    const after = await measureQuery(ctx.conn, query, { runs: 3 });
    const comparison = comparePlans(before.tree, after.tree);
    assert.equal(comparison.samePlan, false);
    assert.ok(
      comparison.nodes.some(
        (n) => n.before?.includes("ix_symbols_default_order") && !n.after?.includes("ix_symbols_default_order"),
      ),
    );
  });
});
