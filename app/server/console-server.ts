import http from "node:http";
import { type ClientInfo, clientInfo, type TrustProxy } from "./client-info";
import { createConcurrencyLimit } from "./concurrency-limit";
import { drainServer } from "./drain";
import { checkCsrf } from "./csrf";
import { createFairTurns } from "./fair-turns";
import { bodyProblems, type FieldProblems, urlEncodedProblems } from "./input-check";
import { sendFetchResponse, toFetchRequest } from "./node-bridge";
import { type Refusal, refusalFormat, sendRefusal } from "./refusals";
import { bodyLimitFor, readRequestBody } from "./request-body";
import { BadRequestError, isValidHost, requestOrigin, requestUrl } from "./request-url";
import { newNonce, securityHeaders } from "./security-headers";

// The HTTP server around the app, in the order a request meets it: a turn of the event loop
// (fair-turns.ts; answers written straight from the socket wait for theirs too), those answers,
// static files, a URL made from a checked Host, the query string's text, the CSRF check, the body
// (read whole, within its limit), a place among the requests in progress (fairly shared between
// client addresses), then the handler, whose answer gets the security headers. Slow clients are
// dropped by Node's header and request timeouts, checked every second.

/** What the server tells the app about a request besides the Request itself. */
export interface RequestContext {
  clientAddress: string;
  scheme: "http" | "https";
  /** The nonce of this response's Content-Security-Policy, for inline scripts. */
  cspNonce: string;
}

/**
 * Answers a GET straight from the socket, or returns null to leave it to the usual path: for
 * answers that need none of the request's parsing (no query string, no body) nor a Fetch Request
 * and Response. It gets the request target as sent (an exact path, so a query string makes it
 * decline) and sends the same headers as the usual path would (`answerHeaders`, `sendAnswer`).
 * It returns true when it wrote the whole answer before returning (one kept in memory), so the
 * busiest answer costs no promise; otherwise a promise that settles once it is written.
 * Work that waits on the database runs through `limited`: a place among the requests in progress,
 * shared fairly between client addresses, as the usual path takes one. If the returned promise
 * rejects before anything was written, the request takes the usual path.
 */
export type DirectAnswer = (
  target: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  https: boolean,
  limited: (task: () => Promise<void>) => Promise<void>,
) => Promise<void> | true | null;

export interface ConsoleServerOptions {
  /** Answers a request; a thrown error becomes a 500 (or a cut connection once headers are sent). */
  handle: (request: Request, context: RequestContext, isApi: boolean) => Promise<Response>;
  /** Serves a static file and returns true, or returns false. */
  serveStatic?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  isApi: (pathname: string) => boolean;
  direct?: DirectAnswer;
  maxInProgress: number;
  maxPerClient: number;
  trustProxy: TrustProxy;
  publicUrl?: string | undefined;
  /** Names of the session cookie (with and without the __Host- prefix), for the CSRF check. */
  sessionCookies: readonly string[];
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Called for every answered request (logging). */
  onAnswered?: (req: http.IncomingMessage, res: http.ServerResponse, ms: number) => void;
}

/** The HTTP server, and how to stop it: no new connections, then every request's work settled. */
export type ConsoleServer = http.Server & { drain(): Promise<void> };

export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

export function createConsoleServer(options: ConsoleServerOptions): ConsoleServer {
  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const inTurn = createFairTurns();
  const inProgress = createConcurrencyLimit(options.maxInProgress, options.maxPerClient);

  const server = http.createServer(
    // Node checks the two timeouts on this interval; the default (30 s) would let a trickling
    // client hold its connection up to twice as long as the timeout says.
    { connectionsCheckingInterval: Math.min(1_000, headersTimeout), requestTimeout },
    (req, res) =>
      inTurn(() => {
        // The client gave up while its request waited for a turn.
        if (res.destroyed || answeredDirectly(req, res) || options.serveStatic?.(req, res)) return;
        void accept(req, res);
      }),
  );
  server.headersTimeout = headersTimeout;
  server.requestTimeout = requestTimeout;

  /** Clients send the same Host every time: checked once. */
  let lastValidHost: string | undefined;

  /** A bodiless GET with a valid Host that `options.direct` takes; anything odd takes the usual path. */
  function answeredDirectly(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (!options.direct || req.method !== "GET") return false;
    const { headers } = req;
    if (headers["content-length"] !== undefined || headers["transfer-encoding"] !== undefined) return false;
    if (!options.publicUrl && headers.host !== lastValidHost) {
      if (!isValidHost(headers.host ?? "")) return false;
      lastValidHost = headers.host!;
    }
    const https = options.trustProxy === 0 ? socketIsTls(req) : clientInfo(req, options.trustProxy).scheme === "https";
    const started = performance.now();
    const answering = options.direct(
      req.url ?? "/",
      req,
      res,
      https,
      (task) =>
        new Promise<void>((resolve, reject) =>
          inProgress.run(
            () => task().then(resolve, reject),
            () => res.destroyed,
            clientInfo(req, options.trustProxy).address,
          ),
        ),
    );
    if (answering === null) return false;
    if (answering === true) {
      options.onAnswered?.(req, res, performance.now() - started);
      return true;
    }
    answering.then(
      () => options.onAnswered?.(req, res, performance.now() - started),
      () => {
        if (res.headersSent || res.destroyed) return void res.destroy();
        // The usual path answers (a database that is away: 503) and logs what it must.
        void accept(req, res);
      },
    );
    return true;
  }

  async function accept(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const client = clientInfo(req, options.trustProxy);
    const pathname = (req.url ?? "/").split("?")[0]!;
    const isApi = options.isApi(pathname);
    // Only a page runs scripts: the API's JSON answers need no nonce (16 random bytes each).
    const nonce = isApi ? "" : newNonce();
    const format = refusalFormat(pathname, isApi, req.headers.accept);
    const refuse = (refusal: Refusal, close = false) => {
      if (close) res.setHeader("Connection", "close");
      const https = client.scheme === "https";
      sendRefusal(
        res,
        refusal,
        format,
        securityHeaders(format === "page" ? "text/html" : "application/json", { nonce, https }),
      );
      // What is left of a refused body is not worth reading: drop the connection once answered.
      if (close) res.once("finish", () => req.destroy());
    };

    let url: string;
    try {
      url = requestUrl(requestOrigin(req.headers.host, client.scheme, options.publicUrl), req.url);
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      return refuse(badRequest("The request's Host or path is not valid.", {}), true);
    }
    const { origin, search } = new URL(url);
    const queryProblems = urlEncodedProblems(search.slice(1));
    if (Object.keys(queryProblems).length > 0)
      return refuse(badRequest("Some query parameters are not valid.", queryProblems), true);
    // `?_data=<route>` is how Remix fetched a route's data before single fetch. No page asks that
    // way (pages fetch `<path>.data`), and Remix logs every such request as an error, stack and all.
    if (search !== "" && new URLSearchParams(search).has("_data"))
      return refuse(badRequest("Route data is not served this way.", { _data: LEGACY_DATA_MESSAGE }), true);

    if (!isApi) {
      const csrf = checkCsrf(req, origin, options.sessionCookies);
      if (!csrf.ok) {
        return refuse(
          {
            status: 403,
            code: "forbidden",
            title: "Request refused",
            message:
              `This change was refused because ${csrf.reason}, not from Symbol Desk itself. ` +
              `Go back to the page, reload it and try again.`,
          },
          true,
        );
      }
    }

    const limit = bodyLimitFor(pathname, isApi);
    const read = await readRequestBody(req, limit);
    if (!read.ok) {
      if (read.reason === "aborted") return void res.destroy();
      return refuse(
        {
          status: 413,
          code: "payload_too_large",
          title: "Too large",
          message: `The request body is larger than ${limit / 1024} KB.`,
        },
        true,
      );
    }
    if (read.body) {
      const problems = bodyProblems(req.headers["content-type"] ?? "", read.body);
      if (Object.keys(problems).length > 0) return refuse(badRequest("Some fields are not valid.", problems));
    }

    inProgress.run(
      () => respond(req, res, { url, body: read.body, client, nonce, isApi }),
      () => res.destroyed,
      client.address,
    );
  }

  async function respond(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    r: { url: string; body: Buffer | null; client: ClientInfo; nonce: string; isApi: boolean },
  ): Promise<void> {
    const started = performance.now();
    try {
      const request = toFetchRequest(req, { url: r.url, body: r.body });
      const context: RequestContext = { clientAddress: r.client.address, scheme: r.client.scheme, cspNonce: r.nonce };
      const response = await options.handle(request, context, r.isApi);
      await sendAnswer(req, res, response, { https: r.client.scheme === "https", nonce: r.nonce });
    } catch (error) {
      // Remix turns loader and render errors into error pages itself; this is the bridge failing.
      console.error(`[server] ${req.method} ${req.url} failed:`, error);
      // Half a body already sent cannot become an error page: the client sees the connection cut.
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end("Internal server error");
    } finally {
      options.onAnswered?.(req, res, performance.now() - started);
    }
  }

  return Object.assign(server, { drain: () => drainServer(server, () => inProgress.settled()) });
}

const isHtml = (contentType: string): boolean => /^text\/html/i.test(contentType);

/** What every answer that is not a page carries, over http and https: the same for every request. */
const NOT_HTML = [false, true].map((https) => securityHeaders("application/json", { nonce: "", https }));

/** The security headers of an answer of this type; a page's carry the nonce of its scripts. */
export const answerHeaders = (contentType: string, https: boolean, nonce = ""): Record<string, string> =>
  isHtml(contentType) ? securityHeaders(contentType, { nonce, https }) : NOT_HTML[https ? 1 : 0]!;

/** Writes the handler's answer with the security headers (the usual path, and direct answers' errors). */
export async function sendAnswer(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  response: Response,
  options: { https: boolean; nonce: string },
): Promise<void> {
  const type = response.headers.get("Content-Type") ?? "";
  const security = answerHeaders(type, options.https, options.nonce);
  for (const name in security) res.setHeader(name, security[name]!);
  // Pages may show what only a signed-in member may see: never kept by a browser or proxy.
  if (isHtml(type) && !response.headers.has("Cache-Control")) res.setHeader("Cache-Control", "no-store");
  await sendFetchResponse(req, res, response);
}

const socketIsTls = (req: http.IncomingMessage): boolean => (req.socket as { encrypted?: boolean }).encrypted === true;

const LEGACY_DATA_MESSAGE = "Remove this parameter: a page's data is read from its path with .data added.";

const badRequest = (message: string, fields: FieldProblems): Refusal => ({
  status: 400,
  code: "invalid_parameter",
  title: "Bad request",
  message,
  fields,
});
