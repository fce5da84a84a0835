import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { after, before, test } from "node:test";
import { WebSocket, WebSocketServer } from "ws";
import { textFrame } from "./ws-frame";

// The prebuilt frames of the broadcast fan-out, read by a real ws client: each of the three
// length encodings, written straight to the upgraded socket between messages ws sends itself.

let server: http.Server;
let wire: Duplex | null = null;
let serverSide: WebSocket | null = null;
let client: WebSocket;
const received: string[] = [];
let wake: () => void = () => undefined;

before(async () => {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server = http.createServer();
  server.on("upgrade", (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      wire = socket;
      serverSide = ws;
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate: false });
  client.on("message", (data, isBinary) => {
    assert.equal(isBinary, false);
    received.push(String(data));
    wake();
  });
  await new Promise((resolve) => client.once("open", resolve));
  while (!serverSide) await new Promise((resolve) => setImmediate(resolve));
});

after(async () => {
  client.terminate();
  await new Promise((resolve) => server.close(resolve));
});

const until = (count: number) =>
  new Promise<void>((resolve) => {
    wake = () => received.length >= count && resolve();
    wake();
  });

test(
  "frames of 7-bit, 16-bit and 64-bit lengths arrive whole and in order with ws's own messages",
  { timeout: 20_000 },
  async () => {
    const texts = ["", "x".repeat(125), "é".repeat(63), "y".repeat(126), "z".repeat(65_535), "w".repeat(65_536 + 7)];
    for (const text of texts) {
      wire!.write(textFrame(Buffer.from(text)));
      serverSide!.send(`ws:${text.length}`);
    }
    await until(texts.length * 2);
    assert.deepEqual(
      received,
      texts.flatMap((text) => [text, `ws:${text.length}`]),
    );
  },
);
