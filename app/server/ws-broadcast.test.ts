import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { SimulatedFeed } from "#db/broadcast/simulated-feed";
import { listBroadcastQueue } from "#db/queries/broadcast-list";
import { listDefaultSymbols } from "#db/queries/default-symbols";
import { issueApiToken } from "#db/repositories/api-tokens";
import { createStaffUser } from "#db/repositories/staff";
import { editSymbol, getSymbolState } from "#db/repositories/symbols-edit";
import { createEndUser, symbolIdOf } from "#db/test/api-fixtures";
import { clearBroadcastStamps } from "#db/test/broadcast-fixtures";
import { forEachEngine } from "#db/test/engines";
import { asyncApiDocument } from "~/api/asyncapi.server";
import { attachBroadcastEndpoint, type BroadcastEndpoint, type BroadcastSettings, WS_PATH } from "./ws-endpoint";
import { type Message, TestClient } from "./ws-test-client";

// /ws/symbols end to end on both engines: a real node:http server, real ws clients, the seed's
// broadcast query and the stamp, with cycles driven one at a time so each test knows which
// cycle it is looking at.

const SETTINGS: BroadcastSettings = {
  BROADCAST_INTERVAL_MS: 1_000,
  BROADCAST_FEED_SEED: "test",
  BROADCAST_HEARTBEAT_MS: 60_000,
  BROADCAST_SEND_BUFFER_BYTES: 4_096,
  BROADCAST_MAX_MESSAGE_BYTES: 4_096,
  BROADCAST_MESSAGES_PER_SECOND: 10,
  BROADCAST_MAX_SUBSCRIPTIONS: 200,
  BROADCAST_ALLOWED_ORIGINS: [],
};

const tickerList = (m: Message, only?: string[]) =>
  (m.ticks as Array<{ ticker: string }>).map((t) => t.ticker).filter((t) => !only || only.includes(t));

forEachEngine("broadcaster over /ws/symbols", ({ conn }) => {
  // Nested, so that its `after` closes the endpoint before the engine block closes the database.
  describe("one server", () => {
    let server: http.Server;
    let endpoint: BroadcastEndpoint;
    let url = "";
    let staffId = "";
    const clients: TestClient[] = [];
    const open = async (headers?: Record<string, string>) => {
      const client = await TestClient.open(url, headers);
      clients.push(client);
      return client;
    };
    const cycle = () => endpoint.broadcaster.runCycle();
    /** The ticks message of the next cycle, for a client that follows something that cycle sends. */
    const ticksOfNextCycle = async (client: TestClient) => {
      const from = client.messages.length;
      const result = await cycle();
      assert.equal(result.skipped, null);
      return client.next((m) => m.type === "ticks", "ticks", { from });
    };
    const edit = async (ticker: string, changes: Parameters<typeof editSymbol>[1]["changes"]) => {
      const symbolId = await symbolIdOf(conn.db, ticker);
      const state = await getSymbolState(conn.db, symbolId);
      await editSymbol(conn.db, { staffId, symbolId, version: state!.version, changes });
    };

    before(async () => {
      staffId = (
        await createStaffUser(conn.db, {
          email: "ops@example.com",
          displayName: "Ops",
          role: "operator",
          password: "quiet-lantern-orchard-52",
        })
      ).id;
      server = http.createServer((_req, res) => res.writeHead(404).end());
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${WS_PATH}`;
      endpoint = await attachBroadcastEndpoint(server, async () => conn, SETTINGS, {
        feed: new SimulatedFeed({ seed: "test", stepMs: 0 }),
        autoStart: false,
      });
      await endpoint.broadcaster.connect();
    });

    after(async () => {
      for (const client of clients) client.close();
      await endpoint.close();
      await new Promise((resolve) => server.close(resolve));
    });

    test("an anonymous client gets a snapshot of the defaults, then ticks for them", async () => {
      const defaults = (await listDefaultSymbols(conn.db)).map((s) => s.ticker);
      const client = await open();
      const snapshot = await client.next((m) => m.type === "snapshot", "snapshot");
      assert.equal(snapshot.scope, "defaults");
      assert.deepEqual(
        (snapshot.symbols as Array<{ ticker: string }>).map((s) => s.ticker),
        defaults,
      );
      const ticks = await ticksOfNextCycle(client);
      assert.deepEqual(tickerList(ticks).sort(), [...defaults].sort());
      for (const tick of ticks.ticks as Array<{ price: number }>) assert.ok(tick.price > 0);
    });

    test("a client that sends its token first gets its own user's symbols", async () => {
      const userId = await createEndUser(conn.db, "ws-user@example.com");
      for (const [i, ticker] of ["DOGEUSDT", "THYAO"].entries()) {
        await conn.db
          .insertInto("user_dashboard_preferences")
          .values({ user_id: userId, symbol_id: await symbolIdOf(conn.db, ticker), display_order: i })
          .execute();
      }
      const { token } = await issueApiToken(conn.db, userId, "ws");
      const client = await open();
      client.send({ type: "auth", token });
      const snapshot = await client.next((m) => m.type === "snapshot" && m.scope === "user", "user snapshot");
      assert.equal(snapshot.userId, userId);
      assert.deepEqual(
        (snapshot.symbols as Array<{ ticker: string }>).map((s) => s.ticker),
        ["DOGEUSDT", "THYAO"],
      );
      assert.deepEqual(tickerList(await ticksOfNextCycle(client)).sort(), ["DOGEUSDT", "THYAO"]);

      client.send({ type: "auth", token });
      const refused = await client.next((m) => m.type === "error", "error for a second auth");
      assert.equal(refused.code, "auth_not_first");
      const stranger = await open();
      stranger.send({ type: "auth", token: "sd_not-a-token" });
      assert.equal((await stranger.next((m) => m.type === "error", "error for a bad token")).code, "invalid_token");
    });

    test("a priority change by staff reorders the next cycle", async () => {
      const client = await open();
      client.send({ type: "subscribe", tickers: ["TRXUSDT", "TONUSDT"] });
      await client.next((m) => m.type === "snapshot" && m.scope === "tickers", "tickers snapshot");
      await edit("TRXUSDT", { broadcast_priority: 70 });
      await edit("TONUSDT", { broadcast_priority: 65 });
      const pair = ["TRXUSDT", "TONUSDT"];
      assert.deepEqual(tickerList(await ticksOfNextCycle(client), pair), ["TRXUSDT", "TONUSDT"]);
      await edit("TONUSDT", { broadcast_priority: 80 });
      assert.deepEqual(tickerList(await ticksOfNextCycle(client), pair), ["TONUSDT", "TRXUSDT"]);
    });

    test("a deprecated symbol stops being sent", async () => {
      const client = await open();
      client.send({ type: "subscribe", tickers: ["ATOMUSDT", "NEARUSDT"] });
      await client.next((m) => m.type === "snapshot" && m.scope === "tickers", "tickers snapshot");
      const pair = ["ATOMUSDT", "NEARUSDT"];
      assert.deepEqual(tickerList(await ticksOfNextCycle(client), pair).sort(), pair);
      await edit("ATOMUSDT", { is_active: false });
      assert.deepEqual(tickerList(await ticksOfNextCycle(client), pair), ["NEARUSDT"]);
    });

    test("last_broadcast_at is stamped for exactly the symbols sent", async () => {
      await clearBroadcastStamps(conn.db);
      const rowsNow = () =>
        conn.db.selectFrom("symbols").select(["id", "version", "updated_at"]).orderBy("id").execute();
      const before = await rowsNow();
      const listed = (await listBroadcastQueue(conn.db)).map((row) => row.id);
      const result = await cycle();
      assert.deepEqual([...result.sent].sort(), [...listed].sort());
      const stamped = await conn.db
        .selectFrom("symbols")
        .select("id")
        .where("last_broadcast_at", "is not", null)
        .execute();
      assert.deepEqual(stamped.map((row) => row.id).sort(), [...result.sent].sort());
      // Not a staff edit: no version bump (a staff member's next save would be a conflict) and no
      // new updated_at (the console's "recently updated" would list every broadcast symbol).
      assert.deepEqual(await rowsNow(), before);
    });

    test("a slow client is dropped while a fast one keeps receiving", async () => {
      const listed = await listBroadcastQueue(conn.db);
      const tickers = listed.map((row) => row.ticker).slice(0, 20);
      const slow = await open();
      const fast = await open();
      for (const client of [slow, fast]) {
        client.send({ type: "subscribe", tickers });
        await client.next((m) => m.type === "snapshot" && m.scope === "tickers", "tickers snapshot");
      }
      // The slow client stops reading, so bytes pile up in the server's send buffer. Cycles of
      // ~200 KB fill the loopback socket's kernel buffers in a few dozen cycles instead of thousands.
      slow.socket.pause();
      const heavy = Array.from({ length: 2_000 }, (_, i) => {
        const row = listed[i % tickers.length]!;
        return { id: row.id, ticker: row.ticker, price: 1 + i, change24h: 0, at: Date.now() };
      });
      const fastBefore = fast.ofType("ticks").length;
      let delivered = 0;
      while (slow.socket.readyState === slow.socket.OPEN && delivered < 1_000) {
        await endpoint.hub.deliver({ cycle: 10_000 + delivered, startedAt: Date.now(), ticks: heavy });
        delivered++;
        // The fast client reads each cycle before the next is sent, as a healthy client does (on a
        // busy machine this test's own reads could otherwise fall behind); the slow one reads nothing.
        await fast.next(() => fast.ofType("ticks").length - fastBefore >= delivered, `ticks of cycle ${delivered}`, {
          timeoutMs: 20_000,
        });
        if (endpoint.broadcaster.stats.slowDrops.count(Date.now()) > 0) slow.socket.resume();
      }
      assert.equal((await slow.whenClosed()).code, 1006, "terminated, not closed politely behind the unsent bytes");
      assert.ok(endpoint.broadcaster.stats.slowDrops.count(Date.now()) >= 1);
      await fast.next(() => fast.ofType("ticks").length - fastBefore === delivered, `${delivered} ticks messages`, {
        timeoutMs: 20_000,
      });
      // And the next real cycle still reaches it.
      assert.deepEqual(tickerList(await ticksOfNextCycle(fast), tickers).sort(), [...tickers].sort());
    });

    test("an untracked symbol stops being sent at the next cycle, and is sent again once tracked", async () => {
      const client = await open();
      client.send({ type: "subscribe", tickers: ["APTUSDT", "ARBUSDT"] });
      await client.next((m) => m.type === "snapshot" && m.scope === "tickers", "tickers snapshot");
      const pair = ["APTUSDT", "ARBUSDT"];
      assert.deepEqual(tickerList(await ticksOfNextCycle(client), pair).sort(), ["APTUSDT", "ARBUSDT"]);
      await edit("APTUSDT", { is_tracked: false });
      assert.deepEqual(tickerList(await ticksOfNextCycle(client), pair), ["ARBUSDT"]);
      await edit("APTUSDT", { is_tracked: true });
      assert.deepEqual(tickerList(await ticksOfNextCycle(client), pair).sort(), ["APTUSDT", "ARBUSDT"]);
    });

    test("a staff change of the defaults sends anonymous clients a new snapshot, and their ticks follow it", async () => {
      const defaults = (await listDefaultSymbols(conn.db)).map((s) => s.ticker);
      const dropped = defaults.at(-1)!;
      const client = await open();
      await client.next((m) => m.type === "snapshot", "snapshot");
      const from = client.messages.length;
      await edit(dropped, { is_default_symbol: false });
      try {
        const ticks = await ticksOfNextCycle(client);
        const snapshot = await client.next((m) => m.type === "snapshot", "a new snapshot", { from });
        assert.deepEqual(
          (snapshot.symbols as Array<{ ticker: string }>).map((s) => s.ticker),
          defaults.slice(0, -1),
        );
        assert.ok(!tickerList(ticks).includes(dropped), `${dropped} no longer sent to the defaults' clients`);
      } finally {
        await edit(dropped, { is_default_symbol: true });
      }
    });

    test("garbage and oversized messages get errors and change nothing", async () => {
      const client = await open();
      await client.next((m) => m.type === "snapshot", "snapshot");
      const errorAfter = async (message: unknown) => {
        const from = client.messages.length;
        client.send(message);
        return client.next((m) => m.type === "error", `error for ${String(message).slice(0, 40)}`, { from });
      };
      assert.equal((await errorAfter("not json {")).code, "bad_message");
      assert.equal((await errorAfter(JSON.stringify({ type: "launch" }))).code, "bad_message");
      assert.equal(
        (await errorAfter(JSON.stringify({ type: "subscribe", tickers: ["<script>"] }))).code,
        "bad_message",
      );
      assert.equal((await errorAfter(Buffer.from([1, 2, 3]))).code, "bad_message");
      assert.equal(
        (await errorAfter(JSON.stringify({ type: "ping", pad: "x".repeat(5_000) }))).code,
        "message_too_large",
      );
      assert.equal(
        (await errorAfter(JSON.stringify({ type: "subscribe", tickers: ["NOSUCH"] }))).code,
        "unknown_tickers",
      );
      // Still the defaults client it was, and still answering.
      const from = client.messages.length;
      client.send({ type: "ping" });
      await client.next((m) => m.type === "heartbeat", "heartbeat", { from });
      assert.equal(client.ofType("snapshot").length, 1);

      for (let i = 0; i < 30; i++) client.send({ type: "ping" });
      await client.next((m) => m.type === "error" && m.code === "rate_limited", "rate_limited");

      const huge = await open();
      huge.send("x".repeat(200_000));
      assert.equal((await huge.whenClosed()).code, 1009);
    });

    test("what the server sends, and what it accepts, match the AsyncAPI document's payloads", async () => {
      const messages = asyncApiDocument().channels.symbols.messages;
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      const matches = (name: string, message: unknown) => {
        const validate = ajv.compile(messages[name]!.payload);
        assert.ok(validate(message), `${name}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(message)}`);
      };
      const client = await open();
      matches("snapshot", await client.next((m) => m.type === "snapshot", "snapshot"));
      matches("ticks", await ticksOfNextCycle(client));
      let from = client.messages.length;
      client.send({ type: "ping" });
      matches("heartbeat", await client.next((m) => m.type === "heartbeat", "heartbeat", { from }));
      from = client.messages.length;
      client.send("not json");
      matches("error", await client.next((m) => m.type === "error", "error", { from }));
      matches("auth", { type: "auth", token: "sdk_x" });
      matches("subscribe", { type: "subscribe", tickers: ["BTCUSDT"] });
      matches("unsubscribe", { type: "unsubscribe", tickers: ["BTCUSDT"] });
      matches("ping", { type: "ping" });
    });

    test("a browser page from another origin is refused; the server's own origin is let in", async () => {
      const host = new URL(url).host;
      await assert.rejects(open({ Origin: "https://evil.example" }), /refused with 403/);
      const own = await open({ Origin: `http://${host}` });
      await own.next((m) => m.type === "snapshot", "snapshot");
    });
  });

  describe("heartbeats", () => {
    const HEARTBEAT_MS = 300;
    let server: http.Server;
    let endpoint: BroadcastEndpoint;
    let url = "";

    before(async () => {
      server = http.createServer((_req, res) => res.writeHead(404).end());
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${WS_PATH}`;
      endpoint = await attachBroadcastEndpoint(
        server,
        async () => conn,
        { ...SETTINGS, BROADCAST_HEARTBEAT_MS: HEARTBEAT_MS },
        { feed: new SimulatedFeed({ seed: "test", stepMs: 0 }), autoStart: false },
      );
    });

    after(async () => {
      await endpoint.close();
      await new Promise((resolve) => server.close(resolve));
    });

    test("a connection that answers no ping is dropped, while one that answers stays", async () => {
      const live = await TestClient.open(url);
      const dead = await TestClient.open(url, {}, { answerPings: false });
      try {
        const closed = await dead.whenClosed(10 * HEARTBEAT_MS);
        assert.ok([4000, 1006].includes(closed.code), `closed with ${closed.code}`);
        assert.ok(dead.ofType("heartbeat").length >= 1, "it was pinged (and told the time) before being dropped");
        const heard = live.ofType("heartbeat").length;
        await live.next(() => live.ofType("heartbeat").length >= heard + 2, "two more heartbeats", {
          timeoutMs: 20 * HEARTBEAT_MS,
        });
        assert.equal(live.closed, null);
        assert.equal(endpoint.hub.counts().total, 1);
        assert.ok(endpoint.broadcaster.stats.disconnects.count(Date.now()) >= 1);
      } finally {
        live.close();
        dead.close();
      }
    });
  });
});
