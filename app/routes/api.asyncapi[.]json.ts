import { asyncApiDocument } from "~/api/asyncapi.server";
import { endpoint, json } from "~/api/endpoint.server";

// GET /api/asyncapi.json: the AsyncAPI document of /ws/symbols, generated from its schemas.

export const loader = endpoint(
  { GET: async () => json(asyncApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }) },
  { database: false },
);

export const action = loader;
