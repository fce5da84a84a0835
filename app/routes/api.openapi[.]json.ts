import { endpoint, json } from "~/api/endpoint.server";
import { openApiDocument } from "~/api/openapi.server";

// GET /api/openapi.json: the OpenAPI document, generated from the schemas the routes validate with.

export const loader = endpoint(
  { GET: async () => json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }) },
  { database: false },
);

export const action = loader;
