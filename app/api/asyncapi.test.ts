import assert from "node:assert/strict";
import { test } from "node:test";
import { ERROR_CODES } from "~/server/ws-protocol";
import { asyncApiDocument } from "./asyncapi.server";

// The AsyncAPI document describes what /ws/symbols really sends and accepts: it is generated from
// the schemas the server uses, so a message or error code added there shows here.

test("the AsyncAPI 3 document lists every message of /ws/symbols both ways, with the error codes", () => {
  const doc = asyncApiDocument();
  assert.equal(doc.asyncapi, "3.0.0");
  assert.equal(doc.channels.symbols.address, "/ws/symbols");
  const names = Object.keys(doc.channels.symbols.messages).sort();
  assert.deepEqual(names, ["auth", "error", "heartbeat", "ping", "snapshot", "subscribe", "ticks", "unsubscribe"]);
  const sent = doc.operations.receiveUpdates.messages.map((m) => m.$ref.split("/").at(-1));
  assert.deepEqual(sent, ["snapshot", "ticks", "heartbeat", "error"]);
  const error = doc.channels.symbols.messages.error!.payload as { properties: { code: { enum: string[] } } };
  assert.deepEqual(error.properties.code.enum, [...ERROR_CODES]);
  const auth = doc.channels.symbols.messages.auth!.payload as { required: string[] };
  assert.deepEqual(auth.required.sort(), ["token", "type"]);
});
