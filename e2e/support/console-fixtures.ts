import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { getSymbolState } from "../../db/repositories/symbols-edit.js";
import type { Database } from "../../db/schema.js";
import { createEndUser } from "../../db/test/api-fixtures.js";
import { expect, test as base } from "./fixtures.js";
import type { Locator, Page } from "@playwright/test";

// Data the console specs need, made through db/ and removed when the test ends: symbols with
// unique tickers (so parallel tests never touch each other's rows), a market with its own
// providers, and platform users with preferences.

export interface MadeSymbol {
  id: string;
  ticker: string;
}

export interface Catalogue {
  /** A unique prefix of this test's tickers (search for it to see only this test's rows). */
  tag: string;
  symbol: (options?: {
    market?: string;
    priority?: number;
    isDefault?: boolean;
    isActive?: boolean;
    displayOrder?: number;
  }) => Promise<MadeSymbol>;
  market: (symbols: number) => Promise<{ id: string; code: string; providers: Array<{ id: string; code: string }> }>;
  user: (preferences: MadeSymbol[]) => Promise<{ id: string; email: string }>;
}

export const test = base.extend<{ catalogue: Catalogue }>({
  catalogue: async ({ db }, use) => {
    const tag = `E2E${randomBytes(3).toString("hex").toUpperCase()}`;
    const symbols: string[] = [];
    const markets: string[] = [];
    const users: string[] = [];
    let n = 0;
    const insertSymbol: Catalogue["symbol"] = async (options = {}) => {
      const market = await db.db
        .selectFrom("markets")
        .select(["id", "asset_class_id"])
        .where("code", "=", options.market ?? "BINANCE")
        .executeTakeFirstOrThrow();
      const ticker = `${tag}S${++n}`;
      const row = await db.db
        .insertInto("symbols")
        .values({
          ticker,
          display: `${tag} test asset ${n}`,
          full_name: null,
          asset_class_id: market.asset_class_id,
          market_id: market.id,
          broadcast_priority: options.priority ?? 50,
          is_default_symbol: options.isDefault ?? false,
          is_active: options.isActive ?? true,
          display_order: options.displayOrder ?? 500 + n,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      symbols.push(row.id);
      return { id: row.id, ticker };
    };
    await use({
      tag,
      symbol: insertSymbol,
      market: async (count) => {
        const crypto = await db.db
          .selectFrom("asset_classes")
          .select("id")
          .where("code", "=", "CRYPTO")
          .executeTakeFirstOrThrow();
        const code = `${tag}M`;
        const market = await db.db
          .insertInto("markets")
          .values({ code, name: `${tag} market`, asset_class_id: crypto.id, websocket_url: null, timezone: "UTC" })
          .returning("id")
          .executeTakeFirstOrThrow();
        markets.push(market.id);
        const providers = [];
        for (const [i, primary] of [true, false].entries()) {
          const p = await db.db
            .insertInto("data_providers")
            .values({
              code: `${tag}P${i + 1}`,
              name: `${tag} provider ${i + 1}`,
              market_id: market.id,
              provider_type: "websocket",
              is_primary: primary,
              connection_status: "connected",
            })
            .returning(["id", "code"])
            .executeTakeFirstOrThrow();
          providers.push(p);
        }
        for (let i = 0; i < count; i++) await insertSymbol({ market: code });
        return { id: market.id, code, providers };
      },
      user: async (preferences) => {
        const email = `${tag.toLowerCase()}-${users.length}@users.e2e.test`;
        const user = { id: await createEndUser(db.db, email, `${tag} user`) };
        users.push(user.id);
        for (const [i, s] of preferences.entries()) {
          await db.db
            .insertInto("user_dashboard_preferences")
            .values({ user_id: user.id, symbol_id: s.id, display_order: i + 1 })
            .execute();
        }
        return { id: user.id, email };
      },
    });
    if (users.length) await db.db.deleteFrom("users").where("id", "in", users).execute();
    if (symbols.length) await db.db.deleteFrom("symbols").where("id", "in", symbols).execute();
    if (markets.length) {
      await db.db.deleteFrom("symbols").where("market_id", "in", markets).execute();
      await db.db.deleteFrom("data_providers").where("market_id", "in", markets).execute();
      await db.db.deleteFrom("markets").where("id", "in", markets).execute();
    }
  },
});

export { expect };
export { signInAs, signInWithForm } from "./fixtures.js";

/**
 * Waits until React has hydrated `locator`'s element (its props are attached), so a click runs
 * the JavaScript path (dialogs, fetchers) rather than the no-JavaScript form post.
 */
export async function expectHydrated(locator: Locator): Promise<void> {
  await expect
    .poll(() => locator.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactProps"))))
    .toBe(true);
}

/**
 * Picks up a sortable row from the keyboard (Space on its focused handle) and returns once the
 * arrow keys move it. dnd-kit's keyboard sensor starts listening for them from a timer it sets on
 * pick-up (KeyboardSensor.attach); Chromium may run a key press before that timer, and the press
 * is lost. A timer set after it runs after it (timers of equal delay run in the order set).
 */
export async function pickUpWithKeyboard(handle: Locator): Promise<void> {
  await handle.focus();
  await handle.page().keyboard.press("Space");
  await expect(handle).toHaveAttribute("aria-pressed", "true");
  await handle.page().evaluate(() => new Promise((resolve) => setTimeout(resolve)));
}

/**
 * Saves a symbol's priority through its inline editor on `page` and waits until the database
 * holds it: the symbol and its audit row are written in one transaction, so both are there then.
 */
export async function savePriority(
  page: Page,
  db: Kysely<Database>,
  symbol: { id: string; ticker: string },
  priority: number,
): Promise<void> {
  const field = page.getByLabel(`Broadcast priority of ${symbol.ticker}`);
  await expectHydrated(field);
  await field.fill(String(priority));
  await page.getByRole("button", { name: `Save priority of ${symbol.ticker}` }).click();
  await expect.poll(async () => (await getSymbolState(db, symbol.id))?.broadcast_priority).toBe(priority);
}
