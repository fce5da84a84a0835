import { z } from "zod";

// The messages of /ws/symbols, both ways. Clients' messages are validated with these schemas;
// the AsyncAPI document (app/api/asyncapi.server.ts) is generated from them, so the two agree.

export const MAX_TICKERS_PER_MESSAGE = 50;

const tickers = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(32)
      .regex(/^[A-Za-z0-9._:/-]+$/, "letters, digits and . _ : / - only"),
  )
  .min(1)
  .max(MAX_TICKERS_PER_MESSAGE);

export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("auth"), token: z.string().min(1).max(200) }).strict(),
  z.object({ type: z.literal("subscribe"), tickers }).strict(),
  z.object({ type: z.literal("unsubscribe"), tickers }).strict(),
  z.object({ type: z.literal("ping") }).strict(),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

const quote = z.object({
  id: z.string(),
  ticker: z.string(),
  price: z.number(),
  change24h: z.number().nullable(),
  at: z.number().describe("when the provider priced it, epoch ms"),
});

export const snapshotSchema = z.object({
  type: z.literal("snapshot"),
  scope: z.enum(["defaults", "user", "tickers"]),
  userId: z.string().nullable(),
  symbols: z.array(
    z.object({
      id: z.string(),
      ticker: z.string(),
      display: z.string(),
      price: z.number().nullable(),
      change24h: z.number().nullable(),
      at: z.number().nullable(),
    }),
  ),
  limits: z.object({ maxSubscriptions: z.number(), maxMessageBytes: z.number(), messagesPerSecond: z.number() }),
  serverTime: z.number(),
});

export const ticksSchema = z.object({
  type: z.literal("ticks"),
  cycle: z.number().int(),
  cycleStartedAt: z.number().describe("when the cycle started, epoch ms: delivery latency is measured from it"),
  ticks: z.array(quote),
});

export const heartbeatSchema = z.object({
  type: z.literal("heartbeat"),
  serverTime: z.number(),
  paused: z.boolean(),
});

export const ERROR_CODES = [
  "bad_message",
  "message_too_large",
  "rate_limited",
  "invalid_token",
  "auth_not_first",
  "too_many_subscriptions",
  "unknown_tickers",
  "unavailable",
] as const;

export const errorSchema = z.object({
  type: z.literal("error"),
  code: z.enum(ERROR_CODES),
  message: z.string(),
});

export type Snapshot = z.infer<typeof snapshotSchema>;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function errorMessage(code: ErrorCode, message: string): string {
  return JSON.stringify({ type: "error", code, message } satisfies z.infer<typeof errorSchema>);
}

/** Close code of a client that answered no ping (beside the standard 1008 policy, 1009 too big). */
export const CLOSE_SILENT = 4000;

/** A parse failure as one readable line: "tickers.0: letters, digits …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
