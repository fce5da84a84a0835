import type { DbConnection } from "#db/client";
import { type ApiTokenCache, apiTokenCache } from "#db/cache/api-tokens";
import { userExists } from "#db/repositories/users";
import { getOptionalStaff, type StaffUser } from "~/utils/permissions.server";
import { ApiError } from "./errors.server";
import { takeApiRequest } from "#db/security/throttle";

// Who is calling the API. A bearer token stands for one end user and reaches only that user's
// routes; a staff session (the console's cookie) may read any user but changes nothing, since
// the end user's own token is what edits their list. A presented but unknown token is refused
// outright rather than treated as anonymous, so a typo never silently loses access rights.

export type Principal =
  | { kind: "token"; tokenId: string; userId: string; rateHeaders: Record<string, string> }
  | { kind: "staff"; staff: StaffUser }
  | { kind: "anonymous" };

const REALM = 'Bearer realm="symbol-api"';

function bearerToken(header: string): string {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  if (!match) {
    throw new ApiError(
      "unauthorized",
      'Send the token as "Authorization: Bearer <token>".',
      {},
      {
        "WWW-Authenticate": `${REALM}, error="invalid_request"`,
      },
    );
  }
  return match[1]!;
}

const tokenCaches = new WeakMap<DbConnection, ApiTokenCache>();

function tokensOf(conn: DbConnection): ApiTokenCache {
  let cache = tokenCaches.get(conn);
  if (!cache) {
    cache = apiTokenCache(conn);
    tokenCaches.set(conn, cache);
  }
  return cache;
}

/** Identifies the caller; for a token, also counts the request against its rate limit. */
export async function identify(request: Request, conn: DbConnection): Promise<Principal> {
  const authorization = request.headers.get("Authorization");
  if (authorization !== null) return identifyToken(authorization, conn);
  const staff = await getOptionalStaff(request);
  return staff ? { kind: "staff", staff } : { kind: "anonymous" };
}

/** The caller of a request with this Authorization header, its request counted against the rate limit. */
export async function identifyToken(authorization: string, conn: DbConnection): Promise<Principal> {
  const found = await tokensOf(conn).authenticate(bearerToken(authorization));
  if (!found) {
    throw new ApiError(
      "unauthorized",
      "This token is not valid: it is unknown or has been revoked.",
      {},
      {
        "WWW-Authenticate": `${REALM}, error="invalid_token"`,
      },
    );
  }
  const rate = await takeApiRequest(conn.db, found.tokenId);
  const rateHeaders = {
    "RateLimit-Limit": String(rate.limit),
    "RateLimit-Remaining": String(rate.remaining),
    "RateLimit-Reset": String(rate.resetSeconds),
  };
  if (!rate.allowed) {
    throw new ApiError(
      "rate_limited",
      `Too many requests with this token: at most ${rate.limit} per minute. Try again in ${rate.resetSeconds} s.`,
      {},
      { ...rateHeaders, "Retry-After": String(rate.resetSeconds) },
    );
  }
  return { kind: "token", ...found, rateHeaders };
}

/**
 * The caller may `access` the user `userId`: their own token (read or write), or staff (read).
 * Another user's id with a token is refused whether or not that user exists, so nothing leaks.
 */
export async function authorizeUser(
  principal: Principal,
  conn: DbConnection,
  userId: string,
  access: "read" | "write",
): Promise<void> {
  if (principal.kind === "anonymous") {
    throw new ApiError(
      "unauthorized",
      'Sign in: send the user\'s API token as "Authorization: Bearer <token>".',
      {},
      {
        "WWW-Authenticate": REALM,
      },
    );
  }
  if (principal.kind === "token") {
    if (principal.userId !== userId) throw new ApiError("forbidden", "This token does not give access to that user.");
    return;
  }
  if (access === "write") {
    throw new ApiError(
      "forbidden",
      "Staff sessions may read users' symbols; changes are made with the user's own token.",
    );
  }
  if (!(await userExists(conn.db, userId))) throw new ApiError("not_found", "There is no user with this id.");
}

/** Headers a successful response to this caller carries (its rate-limit state, for a token). */
export const principalHeaders = (principal: Principal): Record<string, string> =>
  principal.kind === "token" ? principal.rateHeaders : {};
