import { sql } from "kysely";
import { MIGRATIONS } from "../../db/migrations/index.js";
import { screenshot, signInAs } from "../support/fixtures.js";
import { expect, migrationsTest as test } from "../support/migrations-fixtures.js";

// On the migrations server (its own database): an admin rolls the seed's migration back from the
// console, one confirmed step at a time, sees every panel degrade with a message and the red
// banner, re-applies it, and the value set before comes back. Serial: each test builds on the
// schema the previous one left.

test.describe.configure({ mode: "serial" });

const SEED = "20250108_data_driven_symbols";

test("viewer and operator cannot act on migrations", async ({ page, createStaff }) => {
  for (const role of ["viewer", "operator"] as const) {
    const staff = await createStaff(role);
    await signInAs(page, staff, "/login?redirectTo=/migrations");
    await expect(page.getByRole("heading", { name: "Migrations", level: 1 })).toBeVisible();
    await expect(page.getByText("Only admins can apply, roll back or rehearse migrations.")).toBeVisible();
    await expect(page.getByRole("button", { name: /roll back|apply|rehearse/i })).toHaveCount(0);
    const forms: Record<string, string>[] = [
      { intent: "rollback", migration: SEED },
      { intent: "apply", migration: SEED },
      { intent: "rehearse", migration: SEED },
      { intent: "repair" },
    ];
    for (const form of forms) {
      const response = await page.request.post("/migrations", { form, maxRedirects: 0 });
      expect(response.status(), `${role} POST ${form.intent}`).toBe(403);
    }
    await page.context().clearCookies();
  }
});

test("the migrations list names every step of rolling the seed's migration back, in the order they run, beside it only", async ({
  page,
  createStaff,
}) => {
  const viewer = await createStaff("viewer");
  await signInAs(page, viewer, "/login?redirectTo=/migrations");
  const later = Object.keys(MIGRATIONS)
    .filter((name) => name > SEED)
    .sort()
    .reverse();
  expect(later.length).toBeGreaterThan(1);
  const sentence = `Rolling back ${SEED} takes ${later.length + 1} steps, in this order: ${later.join(", ")}, then ${SEED} itself.`;
  const list = page.getByRole("region", { name: "Migrations", exact: true }).getByRole("table");
  await expect(list.getByRole("row", { name: new RegExp(`^${SEED} `) })).toContainText(sentence);
  await expect(list.getByText(/^Rolling back /)).toHaveCount(1);
});

test("admin rehearses the seed's migration on a scratch copy", async ({ page, createStaff }) => {
  const admin = await createStaff("admin");
  await signInAs(page, admin, "/login?redirectTo=/migrations");
  await page.getByRole("combobox", { name: /^Migration/ }).selectOption(SEED);
  await page.getByRole("button", { name: "Rehearse on a scratch copy" }).click();
  await expect(page.getByText(`Rehearsal of ${SEED} passed.`)).toBeVisible({ timeout: 60_000 });
  const result = page.getByRole("group", { name: `Rehearsal of ${SEED}` }).first();
  await expect(result.getByText("came back equal")).toBeVisible();
  await expect(result.getByText(/validate after re-apply succeeded/)).toBeAttached();
  await screenshot(page, "migrations-rehearsal");
});

test("before a rollback the admin sees its gate, and an index dropped by hand shows in it", async ({
  page,
  createStaff,
  migrationsDb,
}) => {
  const { db } = migrationsDb;
  const admin = await createStaff("admin");
  await signInAs(page, admin, "/login?redirectTo=/migrations");
  const summary = page.locator("summary", { hasText: "Roll back one step:" });
  const name = (await summary.locator("code").textContent())!;
  await summary.click();
  const gate = page.getByRole("region", { name: `Gate before rolling back ${name}` });
  await expect(gate).toContainText("nothing off");
  await expect(gate).toContainText("none: the live schema is what the applied migrations make");
  await expect(gate).toContainText(/Last rehearsal/);
  await expect(gate).toContainText(/each waits at most lock_timeout \S+; each statement runs at most \S+/);

  await sql`drop index ix_symbols_default_order`.execute(db);
  try {
    await page.reload();
    await page.locator("summary", { hasText: "Roll back one step:" }).click();
    await expect(gate).toContainText("missing index ix_symbols_default_order");
    await expect(gate).toContainText("the live schema differs from what the applied migrations should have made");
    await screenshot(page, "migrations-rollback-gate-drift");
  } finally {
    await sql`create index ix_symbols_default_order on symbols (display_order)
      include (id, ticker, display, current_price, price_change_24h) where is_default_symbol and is_active`.execute(db);
  }
});

test("admin rolls 20250108 back and re-applies it, and the values come back", async ({
  page,
  createStaff,
  migrationsDb,
}) => {
  // Every migration after the seed's down and up again through the page, index builds included: a
  // busy machine needs minutes, not the default one.
  test.setTimeout(240_000);
  const { db } = migrationsDb;
  // A value staff set after the migration: the rollback must save it and the re-apply restore it.
  await sql`update symbols set broadcast_priority = 77, last_broadcast_at = '2025-02-03T04:05:06Z' where ticker = 'XRPUSDT'`.execute(
    db,
  );
  const admin = await createStaff("admin");
  await signInAs(page, admin, "/login?redirectTo=/migrations");
  await expect(page.getByRole("heading", { name: "Migrations", level: 1 })).toBeVisible();

  // One confirmed step at a time until the seed's migration is pending (later index-only ones go first).
  for (let step = 0; step < Object.keys(MIGRATIONS).length; step++) {
    const seedRow = page.getByRole("row", { name: new RegExp(`^${SEED} `) });
    if (await seedRow.getByText("pending", { exact: true }).isVisible()) break;
    const summary = page.locator("summary", { hasText: "Roll back one step:" });
    const name = (await summary.locator("code").textContent())!;
    await summary.click();
    await expect(page.getByRole("region", { name: `Gate before rolling back ${name}` })).toContainText("nothing off");
    if (name === SEED) {
      await expect(
        page.getByText(
          /Saves every symbol's broadcast_priority, last_broadcast_at, data_provider_id and is_default_symbol/,
        ),
      ).toBeVisible();
      await expect(page.getByText("Re-applying brings every saved value back.")).toBeVisible();
      await screenshot(page, "migrations-confirm-rollback");
    }
    await page.getByRole("button", { name: `Yes, roll back ${name}` }).click();
    await expect(page.getByText(new RegExp(`^Rolled back ${name} in \\d+ ms`))).toBeVisible({ timeout: 30_000 });
    await expect(
      page.getByRole("row", { name: new RegExp(`^${name} `) }).getByText("pending", { exact: true }),
    ).toBeVisible();
  }
  await expect(
    page.getByRole("row", { name: new RegExp(`^${SEED} `) }).getByText("pending", { exact: true }),
  ).toBeVisible();
  // Next would be one of the console's own migrations: the page says why it is not offered.
  const refusal = page.getByRole("note", { name: /^Roll back 2025010[1-7]_/ });
  await expect(refusal).toContainText("cannot be rolled back from this page");
  await expect(refusal).toContainText("Staff accounts, sessions, API tokens and the audit log go with it");
  await expect(page.getByRole("button", { name: /^Yes, roll back/ })).toHaveCount(0);

  // Every panel says what is missing instead of failing, under the red banner.
  const banner = page.getByRole("region", { name: "Rollback triggers", exact: true });
  for (const [path, heading, message] of [
    ["/migrations", "Migrations", null],
    ["/quality", "Data quality", /v_symbol_data_quality.* cannot be read/],
    ["/performance", "Performance", null],
    ["/performance/indexes", "Index health", null],
    ["/readiness", "Go/no-go", null],
  ] as const) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await expect(banner).toContainText(`Migration ${SEED} is not applied`);
    if (message) await expect(page.getByText(message)).toBeVisible();
  }
  await expect(page.getByRole("region", { name: "NO-GO" })).toBeVisible();
  await expect(page.getByRole("row", { name: "Default symbols count: not met" })).toContainText("unavailable");
  await screenshot(page, "readiness-rolled-back");
  await page.goto("/performance/indexes");
  await expect(page.getByRole("region", { name: "The seed's indexes" }).getByText("missing").first()).toBeVisible();
  await page.goto("/quality");
  await page.getByRole("button", { name: "Run checks now" }).click();
  await expect(page.getByText(/^Checked at .*: \d+ pass, \d+ warn, [1-9]\d* fail, [1-9]\d* error\.$/)).toBeVisible({
    timeout: 30_000,
  });
  await screenshot(page, "quality-rolled-back");

  // Re-apply step by step until nothing is pending.
  await page.goto("/migrations");
  for (let step = 0; step < Object.keys(MIGRATIONS).length; step++) {
    const summary = page.locator("summary", { hasText: "Apply one step:" });
    if ((await summary.count()) === 0) break;
    const name = (await summary.locator("code").textContent())!;
    await summary.click();
    await expect(page.getByRole("region", { name: `Gate before applying ${name}` })).toContainText("Schema drift");
    await page.getByRole("button", { name: `Yes, apply ${name}` }).click();
    await expect(page.getByText(new RegExp(`^Applied ${name} in \\d+ ms`))).toBeVisible({ timeout: 30_000 });
    await expect(
      page.getByRole("row", { name: new RegExp(`^${name} `) }).getByText("applied", { exact: true }),
    ).toBeVisible();
  }
  await expect(page.getByText("Nothing to apply: every migration is applied.")).toBeVisible();
  await expect(banner).toHaveCount(0);
  await screenshot(page, "migrations");

  const xrp = await db
    .selectFrom("symbols")
    .select(["broadcast_priority", "last_broadcast_at"])
    .where("ticker", "=", "XRPUSDT")
    .executeTakeFirstOrThrow();
  expect(xrp.broadcast_priority).toBe(77);
  expect(new Date(xrp.last_broadcast_at!).toISOString()).toBe("2025-02-03T04:05:06.000Z");
  await page.goto("/readiness");
  await expect(page.getByRole("row", { name: "Rollback execution: met" })).toContainText(
    /last rollback of 20250108_data_driven_symbols/,
  );
});
