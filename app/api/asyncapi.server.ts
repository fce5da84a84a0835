import { z } from "zod";
import {
  clientMessageSchema,
  errorSchema,
  heartbeatSchema,
  MAX_TICKERS_PER_MESSAGE,
  snapshotSchema,
  ticksSchema,
} from "~/server/ws-protocol";

// The AsyncAPI 3 document of /ws/symbols, generated from the zod schemas the server validates and
// sends with (app/server/ws-protocol.ts), so it cannot describe a protocol that differs from the
// real one. Served at /api/asyncapi.json and rendered on /api-docs beside the REST API.

type JsonSchema = { [key: string]: unknown };

const schemaOf = (schema: z.ZodType): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "output" }) as JsonSchema;
  return rest;
};

const clientMessages = clientMessageSchema.options;

export interface AsyncMessage {
  name: string;
  direction: "send" | "receive";
  summary: string;
  payload: JsonSchema;
}

/** The protocol's messages, as the console renders them: "send" is server to client. */
export function protocolMessages(): AsyncMessage[] {
  const client = (type: string, summary: string): AsyncMessage => {
    const schema = clientMessages.find((option) => option.shape.type.value === type)!;
    return { name: type, direction: "receive", summary, payload: schemaOf(schema) };
  };
  return [
    {
      name: "snapshot",
      direction: "send",
      summary: "On connect (the defaults), after a token, and after each subscribe or unsubscribe.",
      payload: schemaOf(snapshotSchema),
    },
    {
      name: "ticks",
      direction: "send",
      summary: "Once per cycle: the followed symbols the broadcast query listed, in broadcast order.",
      payload: schemaOf(ticksSchema),
    },
    {
      name: "heartbeat",
      direction: "send",
      summary: "Every heartbeat interval (with a ping frame), and as the answer to ping.",
      payload: schemaOf(heartbeatSchema),
    },
    {
      name: "error",
      direction: "send",
      summary: "A message was refused; nothing changed and the connection stays open.",
      payload: schemaOf(errorSchema),
    },
    client("auth", "Only as the first message: follow this API token's user's visible symbols."),
    client("subscribe", `Follow 1–${MAX_TICKERS_PER_MESSAGE} more tickers.`),
    client("unsubscribe", `Stop following 1–${MAX_TICKERS_PER_MESSAGE} tickers.`),
    client("ping", "Answered with a heartbeat."),
  ];
}

export function asyncApiDocument() {
  const messages = protocolMessages();
  const refs = (direction: AsyncMessage["direction"]) =>
    messages.filter((m) => m.direction === direction).map((m) => ({ $ref: `#/channels/symbols/messages/${m.name}` }));
  return {
    asyncapi: "3.0.0",
    info: {
      title: "Symbol Desk broadcast",
      version: "1.0.0",
      description:
        "Live prices of the symbol catalogue over WebSocket. Anonymous clients get the default symbols; " +
        "a client that sends an API token in its first message gets its user's visible symbols.",
    },
    servers: {
      console: { host: "localhost:3000", protocol: "ws", description: "inside the console's server" },
      standalone: { host: "localhost:3100", protocol: "ws", description: "npm run broadcaster" },
    },
    channels: {
      symbols: {
        address: "/ws/symbols",
        messages: Object.fromEntries(
          messages.map((m) => [
            m.name,
            { name: m.name, summary: m.summary, contentType: "application/json", payload: m.payload },
          ]),
        ),
      },
    },
    operations: {
      receiveUpdates: { action: "send", channel: { $ref: "#/channels/symbols" }, messages: refs("send") },
      sendCommands: { action: "receive", channel: { $ref: "#/channels/symbols" }, messages: refs("receive") },
    },
  };
}
