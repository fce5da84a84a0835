import { createCookieSessionStorage, type Session } from "@remix-run/node";
import { config } from "#db/config";
import { storedSessionSecret } from "./stored-secret.server";

// The cookie carries only the id of a staff_sessions row: signing out deletes the row, so a copy
// of the cookie taken before sign-out is worthless afterwards.

export const SESSION_COOKIE = "__symbol_desk";
/**
 * Over https the name carries the __Host- prefix: the browser then takes it only Secure, for this exact host, on "/".
 */
export const SECURE_SESSION_COOKIE = "__Host-symbol_desk";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

interface SessionData {
  sid: string;
}

/** SESSION_SECRET may list several, comma-separated: the first signs, all verify (rotation). */
function loadSecrets(): string[] {
  const fromEnv = config().SESSION_SECRET;
  if (fromEnv?.length) return fromEnv;
  return [storedSessionSecret()];
}

type Storage = ReturnType<typeof createCookieSessionStorage<SessionData>>;
let storages: { secure: Storage; plain: Storage } | undefined;

function makeStorage(secure: boolean, secrets: string[]): Storage {
  return createCookieSessionStorage<SessionData>({
    cookie: {
      name: secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE,
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure,
      secrets,
      maxAge: SESSION_TTL_MS / 1000,
    },
  });
}

/**
 * True when the browser reached us over HTTPS. The server builds the request URL with the scheme
 * of the socket or of a trusted proxy (app/server/client-info.ts), so the URL is the one to ask.
 */
export function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

function storageFor(request: Request): Storage {
  if (!storages) {
    const secrets = loadSecrets();
    storages = { secure: makeStorage(true, secrets), plain: makeStorage(false, secrets) };
  }
  return isHttps(request) ? storages.secure : storages.plain;
}

export async function readSessionId(request: Request): Promise<string | null> {
  const session = await storageFor(request).getSession(request.headers.get("Cookie"));
  return session.get("sid") ?? null;
}

/** A Set-Cookie value for a brand-new cookie session holding `sid` (never reuses the old one). */
export async function commitNewSession(request: Request, sid: string, expires: Date): Promise<string> {
  const storage = storageFor(request);
  const session: Session<SessionData> = await storage.getSession();
  session.set("sid", sid);
  return storage.commitSession(session, { expires });
}

/** A Set-Cookie value that removes the session cookie. */
export async function destroySessionCookie(request: Request): Promise<string> {
  const storage = storageFor(request);
  return storage.destroySession(await storage.getSession(request.headers.get("Cookie")));
}
