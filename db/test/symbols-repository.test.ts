import assert from "node:assert/strict";
import { before, it } from "node:test";
import { sql } from "kysely";
import { listAuditEntries, listSymbolHistory, undoAuditEntry, UndoRefusedError } from "../repositories/audit.js";
import {
  addDefault,
  DefaultsChangedError,
  listDefaultsForEditing,
  removeDefault,
  saveDefaultOrder,
} from "../repositories/defaults.js";
import { bulkEditSymbols, editSymbol, getSymbolState } from "../repositories/symbols-edit.js";
import { SymbolNotFoundError, SymbolRuleError, SymbolVersionConflictError } from "../repositories/symbols-errors.js";
import { assignProviderToMarket } from "../repositories/symbols-market-provider.js";
import { createStaffUser } from "../repositories/staff.js";
import { DEFAULT_TICKERS } from "../seed/catalogue.js";
import { forEachEngine } from "./engines.js";
import { tableChecksum } from "./fingerprint.js";

// The rules of a symbol edit, on both engines: version check, audit rows, the default/active
// rule in the repository and in the database, provider-of-the-market, all-or-nothing bulk,
// default reordering and undo.

forEachEngine("symbol edits", ({ conn }) => {
  let staffId = "";
  const idOf = async (ticker: string) =>
    (await conn.db.selectFrom("symbols").select("id").where("ticker", "=", ticker).executeTakeFirstOrThrow()).id;
  const state = async (ticker: string) => (await getSymbolState(conn.db, await idOf(ticker)))!;
  const providerId = async (code: string) =>
    (await conn.db.selectFrom("data_providers").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;

  before(async () => {
    staffId = (
      await createStaffUser(conn.db, {
        email: "op@example.com",
        displayName: "Olga Operator",
        role: "operator",
        password: "long enough pw",
      })
    ).id;
  });

  it("raising a priority bumps the version and writes one audit row with before and after", async () => {
    const btc = await state("BTCUSDT");
    const { symbol, changedFields } = await editSymbol(conn.db, {
      staffId,
      symbolId: btc.id,
      version: btc.version,
      changes: { broadcast_priority: 42 },
    });
    assert.deepEqual(changedFields, ["broadcast_priority"]);
    assert.equal(symbol.broadcast_priority, 42);
    assert.equal(symbol.version, btc.version + 1);
    const [entry] = await listSymbolHistory(conn.db, btc.id);
    assert.equal(entry?.field, "broadcast_priority");
    assert.equal(entry?.before_value, String(btc.broadcast_priority));
    assert.equal(entry?.after_value, "42");
    assert.equal(entry?.staff_name, "Olga Operator");
  });

  it("a stale version is a conflict carrying the current value and who changed it, and changes nothing", async () => {
    const btc = await state("BTCUSDT");
    const checksum = await tableChecksum(conn.db, "symbols");
    await assert.rejects(
      editSymbol(conn.db, { staffId, symbolId: btc.id, version: btc.version - 1, changes: { broadcast_priority: 10 } }),
      (error) =>
        error instanceof SymbolVersionConflictError &&
        error.current.broadcast_priority === btc.broadcast_priority &&
        error.lastChange?.by === "Olga Operator",
    );
    assert.equal(await tableChecksum(conn.db, "symbols"), checksum);
  });

  it("out-of-range priority, unknown symbol, and a provider of another market are refused", async () => {
    const eth = await state("ETHUSDT");
    for (const p of [-1, 101, 1.5, Number.NaN]) {
      await assert.rejects(
        editSymbol(conn.db, { staffId, symbolId: eth.id, version: eth.version, changes: { broadcast_priority: p } }),
        (e) => e instanceof SymbolRuleError && e.field === "broadcast_priority",
      );
    }
    await assert.rejects(
      editSymbol(conn.db, {
        staffId,
        symbolId: "00000000-0000-0000-0000-000000000000",
        version: 1,
        changes: { is_tracked: false },
      }),
      SymbolNotFoundError,
    );
    await assert.rejects(
      editSymbol(conn.db, {
        staffId,
        symbolId: eth.id,
        version: eth.version,
        changes: { data_provider_id: await providerId("BIST_FEED") },
      }),
      (e) => e instanceof SymbolRuleError && e.field === "data_provider_id" && /BIST/.test(e.message),
    );
    await assert.rejects(
      editSymbol(conn.db, {
        staffId,
        symbolId: eth.id,
        version: eth.version,
        changes: { data_provider_id: "00000000-0000-0000-0000-000000000000" },
      }),
      (e) => e instanceof SymbolRuleError && e.field === "data_provider_id",
    );
    assert.equal((await state("ETHUSDT")).version, eth.version);
  });

  it("a provider of the symbol's own market is accepted", async () => {
    const eth = await state("ETHUSDT");
    const rest = await providerId("BINANCE_REST");
    const { symbol } = await editSymbol(conn.db, {
      staffId,
      symbolId: eth.id,
      version: eth.version,
      changes: { data_provider_id: rest },
    });
    assert.equal(symbol.data_provider_id, rest);
  });

  it("an inactive symbol cannot become default: the repository refuses, and so does the database", async () => {
    const ada = await state("ADAUSDT");
    assert.equal(ada.is_active, false);
    await assert.rejects(
      editSymbol(conn.db, { staffId, symbolId: ada.id, version: ada.version, changes: { is_default_symbol: true } }),
      (e) => e instanceof SymbolRuleError && e.field === "is_default_symbol",
    );
    await assert.rejects(
      sql`update symbols set is_default_symbol = true where id = ${ada.id}`.execute(conn.db),
      (e) => (e as { code?: string }).code === "23514",
    );
  });

  it("deprecating a default clears its default flag in the same write, audited as two fields", async () => {
    const sol = await state("SOLUSDT");
    assert.equal(sol.is_default_symbol, true);
    const { symbol, changedFields } = await editSymbol(conn.db, {
      staffId,
      symbolId: sol.id,
      version: sol.version,
      changes: { is_active: false },
    });
    assert.equal(symbol.is_active, false);
    assert.equal(symbol.is_default_symbol, false);
    assert.deepEqual([...changedFields].sort(), ["is_active", "is_default_symbol"]);
    assert.ok(!(await listDefaultsForEditing(conn.db)).some((d) => d.id === sol.id));
  });

  it("undo puts the before-value back while it is current, and refuses once it is not", async () => {
    const sol = await state("SOLUSDT");
    const history = await listSymbolHistory(conn.db, sol.id);
    const deactivated = history.find((e) => e.field === "is_active")!;
    await undoAuditEntry(conn.db, { staffId, auditId: deactivated.id });
    assert.equal((await state("SOLUSDT")).is_active, true);
    await assert.rejects(undoAuditEntry(conn.db, { staffId, auditId: deactivated.id }), UndoRefusedError);
    // Reactivated but not default again: made default once more, it returns to its old place.
    const now = await state("SOLUSDT");
    await addDefault(conn.db, { staffId, symbolId: now.id, version: now.version });
    const defaults = await listDefaultsForEditing(conn.db);
    assert.equal(
      defaults.findIndex((d) => d.id === sol.id),
      DEFAULT_TICKERS.indexOf("SOLUSDT"),
    );
    assert.equal(defaults.length, 9);
  });

  it("only a field's latest change can be undone: after an undo, the undo itself is the latest", async () => {
    const eth = await state("ETHUSDT");
    const edit = (priority: number, version: number) =>
      editSymbol(conn.db, { staffId, symbolId: eth.id, version, changes: { broadcast_priority: priority } });
    await edit(41, eth.version);
    await edit(42, eth.version + 1);
    const [latest, older] = (await listSymbolHistory(conn.db, eth.id)).filter((e) => e.field === "broadcast_priority");
    await assert.rejects(undoAuditEntry(conn.db, { staffId, auditId: older!.id }), /only the latest change/);
    await undoAuditEntry(conn.db, { staffId, auditId: latest!.id });
    assert.equal((await state("ETHUSDT")).broadcast_priority, 41);
    // The entry 40 → 41 left 41 too, but it is no longer the latest: refused, and nothing changes.
    await assert.rejects(undoAuditEntry(conn.db, { staffId, auditId: older!.id }), UndoRefusedError);
    assert.equal((await state("ETHUSDT")).broadcast_priority, 41);
  });

  it("a default put back returns to its place even when its number was given away meanwhile", async () => {
    const order = await listDefaultsForEditing(conn.db);
    const second = order[1]!;
    await removeDefault(conn.db, { staffId, symbolId: second.id, version: second.version });
    const rest = await listDefaultsForEditing(conn.db);
    await saveDefaultOrder(conn.db, { staffId, order: rest.map((d) => ({ id: d.id, version: d.version })) });
    const off = await getSymbolState(conn.db, second.id);
    await addDefault(conn.db, { staffId, symbolId: second.id, version: off!.version });
    const after = await listDefaultsForEditing(conn.db);
    assert.deepEqual(
      after.map((d) => d.id),
      order.map((d) => d.id),
    );
    assert.equal(new Set(after.map((d) => d.display_order)).size, after.length, "no two defaults share a number");
    // A symbol that never was a default still goes last.
    const fresh = await state("NEARUSDT");
    assert.equal(fresh.is_default_symbol, false);
    await addDefault(conn.db, { staffId, symbolId: fresh.id, version: fresh.version });
    assert.equal((await listDefaultsForEditing(conn.db)).at(-1)?.id, fresh.id);
    const added = await state("NEARUSDT");
    await removeDefault(conn.db, { staffId, symbolId: added.id, version: added.version });
  });

  it("bulk changes are all or nothing: one stale row rolls back every row", async () => {
    const tickers = ["DOGEUSDT", "TRXUSDT", "TONUSDT"];
    const rows = await Promise.all(tickers.map(state));
    const checksum = await tableChecksum(conn.db, "symbols");
    const items = rows.map((r, i) => ({ id: r.id, version: i === 2 ? r.version + 5 : r.version }));
    await assert.rejects(
      bulkEditSymbols(conn.db, { staffId, items, changes: { broadcast_priority: 5 } }),
      SymbolVersionConflictError,
    );
    assert.equal(await tableChecksum(conn.db, "symbols"), checksum);
    const ok = await bulkEditSymbols(conn.db, {
      staffId,
      items: rows.map((r) => ({ id: r.id, version: r.version })),
      changes: { is_tracked: false },
    });
    assert.equal(ok.changed, 3);
    for (const t of tickers) assert.equal((await state(t)).is_tracked, false);
  });

  it("saving a defaults order rewrites display_order 1..n in one transaction; a stale list is refused", async () => {
    const defaults = await listDefaultsForEditing(conn.db);
    const reversed = [...defaults].reverse().map((d) => ({ id: d.id, version: d.version }));
    await saveDefaultOrder(conn.db, { staffId, order: reversed });
    const after = await listDefaultsForEditing(conn.db);
    assert.deepEqual(
      after.map((d) => d.id),
      reversed.map((d) => d.id),
    );
    assert.deepEqual(
      after.map((d) => d.display_order),
      after.map((_, i) => i + 1),
    );
    await assert.rejects(saveDefaultOrder(conn.db, { staffId, order: reversed }), DefaultsChangedError);
    await assert.rejects(
      saveDefaultOrder(conn.db, { staffId, order: after.slice(1).map((d) => ({ id: d.id, version: d.version })) }),
      DefaultsChangedError,
    );
  });

  it("assigning a provider to a market moves every symbol of that market and audits each", async () => {
    const rest = await providerId("BINANCE_REST");
    const { changed } = await assignProviderToMarket(conn.db, { staffId, providerId: rest });
    assert.ok(changed > 10);
    const left = await conn.db
      .selectFrom("symbols as s")
      .innerJoin("markets as m", "m.id", "s.market_id")
      .select("s.id")
      .where("m.code", "=", "BINANCE")
      .where("s.data_provider_id", "!=", rest)
      .execute();
    assert.equal(left.length, 0);
    const { entries } = await listAuditEntries(conn.db, { field: "data_provider_id" }, { limit: 500 });
    assert.ok(entries.filter((e) => e.action === "market_provider").length === changed);
  });

  it("the audit log filters by staff, ticker and field and pages newest first", async () => {
    const first = await listAuditEntries(conn.db, { staffId }, { limit: 3 });
    assert.equal(first.entries.length, 3);
    assert.ok(first.next);
    const second = await listAuditEntries(conn.db, { staffId }, { after: first.next, limit: 3 });
    assert.ok(second.entries.every((e) => !first.entries.some((f) => f.id === e.id)));
    const btc = await listAuditEntries(conn.db, { ticker: "btcusdt", field: "broadcast_priority" }, { limit: 10 });
    assert.ok(btc.entries.length >= 1 && btc.entries.every((e) => e.ticker === "BTCUSDT"));
  });
});
