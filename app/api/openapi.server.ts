import { z } from "zod";
import { ERROR_CODES, type ErrorCode, UNAVAILABLE_RETRY_AFTER_SECONDS } from "./errors.server";
import { MAX_BODY_BYTES } from "./input.server";
import { OPERATIONS, type Operation } from "./operations.server";
import { FALLBACK_HEADER } from "./rollback-fallback.server";
import { apiSchemas, ErrorResponse } from "./schemas.server";

// The OpenAPI 3.1 document of the symbol API, generated from the zod schemas the routes validate
// with (z.toJSONSchema) and the operations table. OpenAPI 3.1 uses JSON Schema 2020-12, which is
// what zod emits, so the schemas go in unchanged.

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
} & JsonSchema;

const REF = (id: string) => `#/components/schemas/${id}`;

function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(apiSchemas, { uri: REF, io: "output" }) as { schemas: Record<string, JsonSchema> };
  // $schema and $id belong to standalone documents, not to schemas inside one.
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]));
}

/** A $ref for a registered schema, the schema itself otherwise. */
function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const id = apiSchemas.get(schema)?.id;
  if (id) return { $ref: REF(id) };
  const { $schema: _s, ...inline } = z.toJSONSchema(schema, { io }) as JsonSchema;
  return inline;
}

function parameters(op: Operation): JsonSchema[] {
  const path = Object.entries(op.pathParams).map(([name, p]) => ({
    name,
    in: "path",
    required: true,
    description: p.description,
    schema: schemaOf(p.schema, "input"),
  }));
  if (!op.query) return path;
  // Query parameters as a client sends them: input types, defaults applied by the server.
  const query = z.toJSONSchema(op.query, { io: "input" }) as {
    properties: Record<string, JsonSchema>;
    required?: string[];
  };
  return [
    ...path,
    ...Object.entries(query.properties).map(([name, { description, ...schema }]) => ({
      name,
      in: "query",
      required: query.required?.includes(name) ?? false,
      description,
      schema,
    })),
  ];
}

const ERROR_HEADERS: Partial<Record<number, JsonSchema>> = {
  401: { "WWW-Authenticate": { description: "Bearer challenge.", schema: { type: "string" } } },
  405: { Allow: { description: "The methods this path supports.", schema: { type: "string" } } },
  429: { "Retry-After": { description: "Seconds until this token may call again.", schema: { type: "integer" } } },
  503: {
    "Retry-After": {
      description: `Seconds to wait (${UNAVAILABLE_RETRY_AFTER_SECONDS}).`,
      schema: { type: "integer" },
    },
  },
};

function responses(op: Operation): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const { success } = op;
  out[String(success.status)] = {
    description: success.description,
    ...(success.headers && {
      headers: Object.fromEntries(
        Object.entries(success.headers).map(([h, d]) => [
          h,
          // The fallback header is sent only while 20250108 is rolled back.
          { description: d, schema: { type: "string" }, ...(h === FALLBACK_HEADER && { required: false }) },
        ]),
      ),
    }),
    ...(success.schema && { content: { "application/json": { schema: schemaOf(success.schema, "output") } } }),
  };
  if (success.headers?.ETag) out["304"] = { description: "Not modified: the If-None-Match ETag is still current." };
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...op.errors, "method_not_allowed", "internal_error"] as ErrorCode[]) {
    byStatus.set(ERROR_CODES[code], [...(byStatus.get(ERROR_CODES[code]) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: `Error; code ${codes.map((c) => `"${c}"`).join(" or ")}.`,
      ...(ERROR_HEADERS[status] && { headers: ERROR_HEADERS[status] }),
      content: { "application/json": { schema: schemaOf(ErrorResponse, "output") } },
    };
  }
  return out;
}

function operationObject(op: Operation): JsonSchema {
  return {
    operationId: op.id,
    summary: op.summary,
    description: op.description,
    tags: [op.path.startsWith("/api/users") ? "User symbols" : "Symbols"],
    security: op.auth === "public" ? [] : [{ bearerToken: [] }, { staffSession: [] }],
    parameters: parameters(op),
    ...(op.body && {
      requestBody: {
        required: true,
        description: `JSON, at most ${MAX_BODY_BYTES} bytes. Unknown fields are refused (422).`,
        content: { "application/json": { schema: schemaOf(op.body, "input") } },
      },
    }),
    responses: responses(op),
  };
}

function build(): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operationObject(op);
  return {
    openapi: "3.1.0",
    info: {
      title: "myTrader symbol API",
      version: "1.0.0",
      description:
        "Default symbols, users' symbol lists and symbol search of the myTrader platform, served by Symbol Desk. " +
        'Errors always have the shape {"error":{"code","message","fields"}}.',
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "Symbols", description: "The public catalogue: defaults and search." },
      { name: "User symbols", description: "One end user's list, with that user's bearer token." },
    ],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearerToken: {
          type: "http",
          scheme: "bearer",
          description:
            "An end user's API token, issued by staff on the user's page (or the CLI). Reaches that user only.",
        },
        staffSession: {
          type: "apiKey",
          in: "cookie",
          name: "__symbol_desk",
          description: "A Symbol Desk staff session: read-only.",
        },
      },
    },
  };
}

let cached: OpenApiDocument | undefined;

/** The document (built once per process: it depends on code only). */
export function openApiDocument(): OpenApiDocument {
  cached ??= build();
  return cached;
}
