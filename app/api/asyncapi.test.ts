import assert from "node:assert/strict";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
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

test(
  "the document holds together as AsyncAPI 3: required fields, every $ref resolves, " +
    "every payload is a JSON Schema",
  () => {
    const doc = asyncApiDocument();
    assert.ok(doc.info.title && doc.info.version, "info.title and info.version are required");
    for (const server of Object.values(doc.servers)) {
      assert.ok(server.host && !server.host.includes("://"), "a server's host carries no protocol");
      assert.equal(server.protocol, "ws");
    }
    const resolve = (ref: string): unknown =>
      ref
        .replace(/^#\//, "")
        .split("/")
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
    for (const [id, operation] of Object.entries(doc.operations)) {
      assert.ok(["send", "receive"].includes(operation.action), `${id}.action`);
      assert.equal(resolve(operation.channel.$ref), doc.channels.symbols, `${id}.channel`);
      for (const message of operation.messages) {
        assert.match(message.$ref, /^#\/channels\/symbols\/messages\//, "an operation's messages are its channel's");
        assert.ok(resolve(message.$ref), `${id}: ${message.$ref} resolves`);
      }
    }
    const ajv = new Ajv2020({ strict: true });
    for (const [name, message] of Object.entries(doc.channels.symbols.messages)) {
      assert.equal(message.name, name);
      assert.equal(message.contentType, "application/json");
      assert.doesNotThrow(() => ajv.compile(message.payload), `${name}'s payload compiles`);
    }
  },
);
