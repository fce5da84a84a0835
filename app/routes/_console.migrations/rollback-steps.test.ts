import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rollbackSteps, rollbackStepsSentence } from "./rollback-steps";

const APPLIED = [
  "20250104_quality_history",
  "20250108_data_driven_symbols",
  "20250109_console_indexes",
  "20250110_announce_default_changes",
  "20250111_covering_user_order_index",
];

describe("rollback steps", () => {
  it("names every rollback, newest first, ending with the migration itself", () => {
    assert.deepEqual(rollbackSteps(APPLIED, "20250108_data_driven_symbols"), [
      "20250111_covering_user_order_index",
      "20250110_announce_default_changes",
      "20250109_console_indexes",
      "20250108_data_driven_symbols",
    ]);
    assert.equal(
      rollbackStepsSentence(APPLIED, "20250108_data_driven_symbols"),
      "Rolling back 20250108_data_driven_symbols takes 4 steps, in this order: 20250111_covering_user_order_index, " +
        "20250110_announce_default_changes, 20250109_console_indexes, then 20250108_data_driven_symbols itself.",
    );
  });

  it("follows name order, as the migrator does, when a console migration was applied out of order", () => {
    const late = [...APPLIED, "20250105_security_store"];
    assert.deepEqual(
      rollbackSteps(late, "20250108_data_driven_symbols"),
      rollbackSteps(APPLIED, "20250108_data_driven_symbols"),
    );
    assert.deepEqual(rollbackSteps(late, "20250104_quality_history").slice(-2), [
      "20250105_security_store",
      "20250104_quality_history",
    ]);
  });

  it("says nothing for the next migration to roll back, or one that is not applied", () => {
    assert.equal(rollbackStepsSentence(APPLIED, "20250111_covering_user_order_index"), null);
    assert.equal(rollbackStepsSentence(APPLIED.slice(0, 1), "20250108_data_driven_symbols"), null);
    assert.deepEqual(rollbackSteps(APPLIED.slice(0, 1), "20250108_data_driven_symbols"), []);
  });
});
