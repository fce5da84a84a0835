import { z } from "zod";
import { SEARCH_MAX_LIMIT } from "#db/queries/symbol-search";
import { ERROR_CODES, type ErrorCode } from "./errors.server";

// Every shape the symbol API reads or writes, written once. The routes validate with these and
// type their responses with them; openapi.server.ts turns the same objects into the OpenAPI
// document (z.toJSONSchema), so the document cannot drift from what the routes accept.
// Request bodies are strict objects: an unknown field is refused, never silently dropped.

export interface SchemaMeta {
  id: string;
  description?: string;
}

/** Named schemas, emitted as components/schemas in the OpenAPI document. */
export const apiSchemas = z.registry<SchemaMeta>();

/** Any 8-4-4-4-12 hex id: database ids need not follow RFC 9562's version bits. */
export const Id = z.guid({ error: "Must be a UUID, like 3f2504e0-4f89-11d3-9a0c-0305e82c3301." });

const Price = z
  .string()
  .nullable()
  .describe("A decimal, as a string so no precision is lost; null until the feed has reported one.");
const DisplayOrder = z.int().min(0).max(1_000_000);
const MarketCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9_]{1,32}$/, "Use a code like BINANCE or CRYPTO (letters, digits, underscore).");

// ---- requests -------------------------------------------------------------------------------

export const NewUserSymbolBody = z
  .strictObject({
    symbolId: Id.describe("The symbol to add (must be active)."),
    displayOrder: DisplayOrder.optional().describe("Position on the list; after the last one when left out."),
    isPinned: z.boolean().optional().describe("Pinned symbols come first. Default false."),
    isVisible: z.boolean().optional().describe("Hidden symbols stay on the list but are not shown. Default true."),
  })
  .register(apiSchemas, { id: "NewUserSymbol", description: "A symbol to add to a user's list." });

export const UserSymbolChangeBody = z
  .strictObject({
    displayOrder: DisplayOrder.optional(),
    isPinned: z.boolean().optional(),
    isVisible: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, "Give at least one of displayOrder, isPinned, isVisible.")
  .meta({ minProperties: 1 })
  .register(apiSchemas, { id: "UserSymbolChange", description: "The settings to change; at least one." });

export const MAX_ORDER_LENGTH = 400;
export const UserSymbolOrderBody = z
  .strictObject({
    symbolIds: z
      .array(Id)
      .max(MAX_ORDER_LENGTH)
      .describe(
        'Every symbol the user\'s list shows (GET …/symbols with source "preferences"), each once, in the new order.',
      ),
  })
  .register(apiSchemas, { id: "UserSymbolOrder", description: "A whole list in its new order." });

export const SearchQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1, "Type at least one character.")
    .max(64)
    .describe("Matched against ticker and display name (contains) from 3 characters; shorter: ticker prefix."),
  assetClass: MarketCode.optional().describe("Asset class code, e.g. CRYPTO or STOCK."),
  market: MarketCode.optional().describe("Market code, e.g. BINANCE or BIST."),
  limit: z.coerce.number().int().min(1).max(SEARCH_MAX_LIMIT).default(20).describe(`At most ${SEARCH_MAX_LIMIT}.`),
});

// ---- responses ------------------------------------------------------------------------------

export const DefaultSymbol = z
  .object({ id: Id, ticker: z.string(), display: z.string(), currentPrice: Price, priceChange24h: Price })
  .register(apiSchemas, { id: "DefaultSymbol", description: "A symbol of the default list, in list order." });

export const DefaultSymbolsResponse = z
  .object({ symbols: z.array(DefaultSymbol) })
  .register(apiSchemas, { id: "DefaultSymbols", description: "What anonymous users see." });

export const PreferenceSettings = z
  .object({ displayOrder: DisplayOrder, isPinned: z.boolean(), isVisible: z.boolean() })
  .register(apiSchemas, { id: "PreferenceSettings" });

export const DashboardSymbol = DefaultSymbol.extend({
  preference: PreferenceSettings.nullable().describe("The user's settings; null when the list is the defaults."),
}).register(apiSchemas, { id: "DashboardSymbol" });

export const UserSymbolsResponse = z
  .object({
    userId: Id,
    source: z
      .enum(["preferences", "defaults"])
      .describe('"defaults" when the user has no visible symbols of their own.'),
    symbols: z.array(DashboardSymbol),
  })
  .register(apiSchemas, {
    id: "UserSymbols",
    description: "A user's visible symbols, pinned first, then in their order.",
  });

export const UserSymbolPreference = z
  .object({
    symbolId: Id,
    ticker: z.string(),
    display: z.string(),
    displayOrder: DisplayOrder,
    isPinned: z.boolean(),
    isVisible: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .register(apiSchemas, { id: "UserSymbolPreference", description: "One symbol on a user's list, with its settings." });

export const SearchHit = z
  .object({
    id: Id,
    ticker: z.string(),
    display: z.string(),
    fullName: z.string().nullable(),
    assetClass: z.string(),
    market: z.string(),
    currentPrice: Price,
    priceChange24h: Price,
  })
  .register(apiSchemas, { id: "SearchHit" });

export const SearchResponse = z
  .object({
    query: z.object({
      q: z.string(),
      assetClass: z.string().nullable(),
      market: z.string().nullable(),
      limit: z.int(),
    }),
    symbols: z.array(SearchHit),
  })
  .register(apiSchemas, {
    id: "SearchResults",
    description: "Active symbols, exact ticker first, then ticker prefixes.",
  });

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
      message: z.string().describe("For people; may change. Programs should look at code."),
      fields: z
        .record(z.string(), z.string())
        .describe("Per input field (or parameter), what is wrong with it; {} when none."),
    }),
  })
  .register(apiSchemas, { id: "Error", description: "The one error shape of the API." });

export type DefaultSymbolsJson = z.output<typeof DefaultSymbolsResponse>;
export type UserSymbolsJson = z.output<typeof UserSymbolsResponse>;
export type UserSymbolPreferenceJson = z.output<typeof UserSymbolPreference>;
export type SearchJson = z.output<typeof SearchResponse>;
