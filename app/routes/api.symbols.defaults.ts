import { identify, principalHeaders } from "~/api/auth.server";
import { DEFAULTS_CACHE_CONTROL, defaultsBody, sendDefaults } from "~/api/defaults-body.server";
import { endpoint } from "~/api/endpoint.server";
import { API_HEADERS } from "~/api/errors.server";
import { etagMatches } from "~/api/etag.server";
import type { DirectRouteAnswer } from "~/server/api-routes";
import { currentDb } from "~/utils/db.server";

// GET /api/symbols/defaults: public. Clients may store it but must revalidate every time
// (no-cache): the ETag is a hash of the body, so a staff change is visible as soon as the
// database has announced it (milliseconds; app/api/defaults-body.server.ts keeps the body in
// memory until then), and an unchanged list costs a 304 with no body.

export const loader = endpoint({
  GET: async ({ request, conn }) => {
    // A token is optional here; one that is sent is checked and counted like anywhere else.
    const principal = request.headers.has("Authorization")
      ? await identify(request, conn)
      : ({ kind: "anonymous" } as const);
    const { body, etag, headers: own } = await defaultsBody(conn);
    const headers = {
      ...API_HEADERS,
      ...principalHeaders(principal),
      ...own,
      ETag: etag,
      "Cache-Control": DEFAULTS_CACHE_CONTROL,
    };
    if (etagMatches(request.headers.get("If-None-Match"), etag)) return new Response(null, { status: 304, headers });
    return new Response(body, { headers: { ...headers, "Content-Type": "application/json; charset=utf-8" } });
  },
});

export const action = loader;

/** The anonymous GET, the busiest read of the platform, answered from memory at the socket. */
export const direct: DirectRouteAnswer = (req, res, https) =>
  req.headers.authorization === undefined ? sendDefaults(currentDb(), req, res, https) : null;
