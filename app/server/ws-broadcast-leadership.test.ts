import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { SimulatedFeed } from "#db/broadcast/simulated-feed";
import { migrateUp } from "#db/migrator";
import { loadDefaultData } from "#db/seed/default-data";
import { clearBroadcastStamps, countStampedSymbols } from "#db/test/broadcast-fixtures";
import { freshDatabase, type TestDatabase } from "#db/test/engines";
import { eventually } from "#db/test/eventually";
import { attachBroadcastEndpoint, type BroadcastEndpoint, type BroadcastSettings, WS_PATH } from "./ws-endpoint";
import { TestClient } from "./ws-test-client";

// Two broadcasters on one database (two console instances, or `npm run broadcaster` twice): one
// leads the cycles and stamps, the other delivers the same ticks to its own clients without
// writing, and takes the lead when the first one stops.

const SETTINGS: BroadcastSettings = {
  BROADCAST_INTERVAL_MS: 1_000,
  BROADCAST_FEED_SEED: "test",
  BROADCAST_HEARTBEAT_MS: 60_000,
  BROADCAST_SEND_BUFFER_BYTES: 65_536,
  BROADCAST_MAX_MESSAGE_BYTES: 4_096,
  BROADCAST_MESSAGES_PER_SECOND: 10,
  BROADCAST_MAX_SUBSCRIPTIONS: 200,
  BROADCAST_ALLOWED_ORIGINS: [],
};

describe("two broadcasters on one database [postgres]", () => {
  let conn: TestDatabase;
  const servers: http.Server[] = [];
  const endpoints: BroadcastEndpoint[] = [];
  const clients: TestClient[] = [];

  const startBroadcaster = async (instanceId: string) => {
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push(server);
    const endpoint = await attachBroadcastEndpoint(server, async () => conn, SETTINGS, {
      feed: new SimulatedFeed({ seed: "test", stepMs: 0 }),
      autoStart: false,
      instanceId,
    });
    endpoints.push(endpoint);
    await endpoint.broadcaster.connect();
    const client = await TestClient.open(`ws://127.0.0.1:${(server.address() as AddressInfo).port}${WS_PATH}`);
    clients.push(client);
    await client.next((m) => m.type === "snapshot", "snapshot");
    return { endpoint, client };
  };
  const stampedCount = () => countStampedSymbols(conn.db);
  /** Runs one cycle and returns it with the ticks message `client` got from it. */
  const cycleSeenBy = async (endpoint: BroadcastEndpoint, client: TestClient) => {
    const from = client.messages.length;
    const result = await endpoint.broadcaster.runCycle();
    assert.equal(result.skipped, null);
    const ticks = await client.next((m) => m.type === "ticks", "ticks", { from });
    return { result, ticks: ticks.ticks as unknown[] };
  };

  before(async () => {
    conn = await freshDatabase("postgres");
    await migrateUp(conn.db, { actor: "test" });
    await loadDefaultData(conn.db);
  });
  after(async () => {
    for (const client of clients) client.close();
    for (const endpoint of endpoints) await endpoint.close();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await conn?.close();
  });

  test("only the leader stamps; the other delivers to its clients, and takes over when the leader stops", async () => {
    const first = await startBroadcaster("broadcaster first");
    const second = await startBroadcaster("broadcaster second");
    assert.equal(first.endpoint.leadership.isLeader(), true, "the first to ask leads");
    assert.equal(second.endpoint.leadership.isLeader(), false);

    await clearBroadcastStamps(conn.db);
    const following = await cycleSeenBy(second.endpoint, second.client);
    assert.ok(following.ticks.length > 0, "the follower's client gets ticks");
    assert.equal(following.result.stamped, false);
    assert.equal(await stampedCount(), 0, "the follower writes nothing");

    const leading = await cycleSeenBy(first.endpoint, first.client);
    assert.equal(leading.result.stamped, true);
    assert.equal(await stampedCount(), leading.result.sent.length, "the leader stamps what it sent");

    endpoints.splice(endpoints.indexOf(first.endpoint), 1);
    await first.endpoint.close();
    await eventually(() => second.endpoint.leadership.isLeader(), "the second broadcaster to take the lead", {
      timeoutMs: 8_000,
    });
    await clearBroadcastStamps(conn.db);
    const tookOver = await cycleSeenBy(second.endpoint, second.client);
    assert.equal(tookOver.result.stamped, true);
    assert.equal(await stampedCount(), tookOver.result.sent.length, "the new leader stamps");
  });
});
