import { z } from "zod";

// Every environment variable Symbol Desk reads, parsed once with zod. A bad value stops the
// process at start-up with a message naming the variable, instead of becoming NaN somewhere
// deep in a request. The README's configuration table is checked against `CONFIG_DOCS` by a test.

/** Unset and blank are the same: the variable is not given. */
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

const optionalText = z.preprocess(blankToUndefined, z.string().optional());

const number = (fallback: number, min: number, max: number, integer: boolean) =>
  z.preprocess(
    blankToUndefined,
    (integer ? z.coerce.number().int() : z.coerce.number()).min(min).max(max).default(fallback),
  );
const wholeNumber = (fallback: number, min: number, max: number) => number(fallback, min, max, true);
const decimal = (fallback: number, min: number, max: number) => number(fallback, min, max, false);

const postgresUrl = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
);

const configSchema = z.object({
  NODE_ENV: z.preprocess(blankToUndefined, z.string().default("production")),
  PORT: wholeNumber(3000, 0, 65_535),
  HOST: optionalText,
  DATABASE_URL: postgresUrl,
  DATABASE_POOL_SIZE: wholeNumber(10, 1, 1_000),
  SYMBOL_DESK_DATA_DIR: z.preprocess(blankToUndefined, z.string().default(".data/pglite")),
  SYMBOL_DESK_BUILD_DIR: z.preprocess(blankToUndefined, z.string().default("build")),
  SESSION_SECRET: optionalText.transform((value) =>
    value
      ?.split(",")
      .map((secret) => secret.trim())
      .filter(Boolean),
  ),
  SERVER_WORKERS: wholeNumber(1, 1, 64),
  MAX_REQUESTS_IN_PROGRESS: wholeNumber(64, 1, 10_000),
  API_RATE_LIMIT_PER_MINUTE: wholeNumber(120, 1, 1_000_000),
  CHECK_INTERVAL_HOURS: decimal(4, 0, 24 * 7),
  // Scale-out: a pooler in front, a direct URL for session work, a streaming replica for reads.
  DATABASE_DIRECT_URL: postgresUrl,
  DATABASE_REPLICA_URL: postgresUrl,
  REPLICA_MAX_LAG_SECONDS: decimal(5, 0, 3600),
  // The WebSocket broadcaster (docs/broadcaster.md).
  BROADCAST_INTERVAL_MS: wholeNumber(1_000, 50, 3_600_000),
  BROADCASTER_IN_PROCESS: z.preprocess(blankToUndefined, z.enum(["true", "false"]).default("true")),
  BROADCASTER_PORT: wholeNumber(3100, 0, 65_535),
  BROADCAST_FEED_SEED: z.preprocess(blankToUndefined, z.string().default("symbol-desk")),
  BROADCAST_HEARTBEAT_MS: wholeNumber(15_000, 100, 600_000),
  BROADCAST_SEND_BUFFER_BYTES: wholeNumber(1_048_576, 1_024, 1_073_741_824),
  BROADCAST_MAX_MESSAGE_BYTES: wholeNumber(4_096, 64, 1_048_576),
  BROADCAST_MESSAGES_PER_SECOND: wholeNumber(10, 1, 10_000),
  BROADCAST_MAX_SUBSCRIPTIONS: wholeNumber(200, 1, 100_000),
  BROADCAST_ALLOWED_ORIGINS: optionalText.transform((value) =>
    (value ?? "")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  ),
  // Security: proxies, the public address, per-client limits, sessions.
  TRUST_PROXY: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^(\d{1,2}|[0-9a-fA-F:.]+(\s*,\s*[0-9a-fA-F:.]+)*)$/, "must be a hop count or comma-separated addresses")
      .optional()
      .transform((value): number | string[] =>
        value === undefined ? 0 : /^\d+$/.test(value) ? Number(value) : value.split(",").map((a) => a.trim()),
      ),
  ),
  PUBLIC_URL: z.preprocess(
    blankToUndefined,
    z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  ),
  MAX_REQUESTS_PER_CLIENT: wholeNumber(8, 1, 10_000),
  SESSION_IDLE_MINUTES: wholeNumber(30, 1, 12 * 60),
  // The CLI: `staff create` reads its password here when --password is not given.
  STAFF_PASSWORD: optionalText,
});

export type Config = z.infer<typeof configSchema>;
export type ConfigName = keyof z.input<typeof configSchema>;

/** One line per variable, in the README's configuration table (a test keeps the two equal). */
export const CONFIG_DOCS: Record<ConfigName, string> = {
  NODE_ENV: "`production` unless set; the test runners set `test`",
  PORT: "the port the server listens on (3000)",
  HOST: "the address to bind (every interface when unset)",
  DATABASE_URL: "a `postgres://` URL selects the PostgreSQL server; unset, the embedded database",
  DATABASE_POOL_SIZE: "connections in the pool (10)",
  SYMBOL_DESK_DATA_DIR: "the embedded database's directory (`.data/pglite`)",
  SYMBOL_DESK_BUILD_DIR: "where `npm run build` writes and `npm run serve` reads (`build`)",
  SESSION_SECRET: "comma-separated secrets that sign sessions, newest first (generated into `.data/` when unset)",
  SERVER_WORKERS: "server processes sharing PORT, each an instance of its own; more than one needs `DATABASE_URL` (1)",
  MAX_REQUESTS_IN_PROGRESS: "requests served at once; the rest wait in arrival order (64)",
  API_RATE_LIMIT_PER_MINUTE: "requests per API token per minute (120)",
  CHECK_INTERVAL_HOURS: "hours between scheduled data-quality runs (4; 0 turns them off)",
  DATABASE_DIRECT_URL:
    "a direct (unpooled) connection for LISTEN, migrations, rehearsals and advisory locks (`DATABASE_URL` when unset)",
  DATABASE_REPLICA_URL: "a streaming replica the public API and heavy panels read from (none when unset)",
  REPLICA_MAX_LAG_SECONDS: "replica lag beyond which reads go to the primary (5)",
  BROADCAST_INTERVAL_MS: "milliseconds between broadcast cycles (1000)",
  BROADCASTER_IN_PROCESS:
    "`true` runs the broadcaster inside the console's server; `false` leaves it to `npm run broadcaster` (true)",
  BROADCASTER_PORT: "the port of `npm run broadcaster` run alone (3100)",
  BROADCAST_FEED_SEED: "seed of the simulated price feed's random walks (`symbol-desk`)",
  BROADCAST_HEARTBEAT_MS: "milliseconds between heartbeats and pings; a client silent for two is dropped (15000)",
  BROADCAST_SEND_BUFFER_BYTES:
    "a client with more unsent bytes is skipped that cycle; five skips in a row disconnect it (1048576)",
  BROADCAST_MAX_MESSAGE_BYTES: "largest message a client may send (4096)",
  BROADCAST_MESSAGES_PER_SECOND: "messages per second a client may send (10)",
  BROADCAST_MAX_SUBSCRIPTIONS: "symbols one client may follow (200)",
  BROADCAST_ALLOWED_ORIGINS: "comma-separated origins, besides the server's own, whose pages may connect",
  TRUST_PROXY:
    "proxies whose `X-Forwarded-For`/`-Proto` are believed: a hop count or their addresses (none; " +
    "" +
    "see docs/security.md)",
  PUBLIC_URL: "the console's own `https://host` origin; when set, requests are handled under it whatever their Host",
  MAX_REQUESTS_PER_CLIENT: "places in progress one client address holds while others wait (8)",
  SESSION_IDLE_MINUTES: "minutes without a request after which a staff session ends (30)",
  STAFF_PASSWORD: "the password of `npm run db -- staff create` when `--password` is not given (none)",
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses `env`; throws a ConfigError that names every bad variable and its value. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `  ${name}=${JSON.stringify(env[name])}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}

let current: Config | undefined;

/** The process's configuration, parsed on first use; a bad value ends the process with its message. */
export function config(): Config {
  if (current) return current;
  try {
    current = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`[config] ${error.message}`);
    process.exit(2);
  }
  return current;
}

/**
 * A server's configuration: NODE_ENV is `production` unless set, in process.env too, since React
 * and Remix read it there to choose their production builds.
 */
export function serverConfig(): Config {
  process.env.NODE_ENV ??= "production";
  return config();
}

/** Tests that change process.env read it again. */
export function reloadConfig(): Config {
  current = undefined;
  return config();
}
