import type { IncomingMessage, ServerResponse } from "node:http";
import type { DbConnection } from "#db/client";
import { answerHeaders, sendAnswer } from "~/server/console-server";
import { mayGzipType, sendWholeBody } from "~/server/node-bridge";
import { getDb } from "~/utils/db.server";
import { jsonHeaders } from "./endpoint.server";
import { errorResponse } from "./errors.server";

// A GET of the API answered from the socket (app/server/console-server.ts `DirectAnswer`): the
// same work as the route's loader, written with the headers and body the usual path writes for
// it, without a Fetch Request, Response or body stream. A refusal or a failure is written by the
// usual path's own writer (the JSON error Response through `sendAnswer`), so it is the same answer.

/** What Response.json (the usual path's `json()`) labels its body with. */
const JSON_TYPE = "application/json";

export interface DirectJson {
  body: unknown;
  /** Headers besides the API's own (`jsonHeaders`). */
  headers: Record<string, string>;
}

/** Answers with what `work` returns as JSON (200), or with the error it throws as the API's error shape. */
export async function sendJsonDirect(
  req: IncomingMessage,
  res: ServerResponse,
  https: boolean,
  work: (conn: DbConnection) => Promise<DirectJson>,
): Promise<void> {
  let answer: DirectJson;
  try {
    answer = await work(await getDb());
  } catch (error) {
    const response = errorResponse(error, { method: "GET", url: req.url ?? "/" });
    return sendAnswer(req, res, response, { https, nonce: "" });
  }
  const headers: Record<string, string> = {
    ...answerHeaders(JSON_TYPE, https),
    ...jsonHeaders(answer.headers),
    "Content-Type": JSON_TYPE,
  };
  res.statusCode = 200;
  for (const name in headers) res.setHeader(name, headers[name]!);
  await sendWholeBody(res, Buffer.from(JSON.stringify(answer.body)), mayGzipType(req, JSON_TYPE));
}

/**
 * The Authorization header, when it was sent once. Node keeps the first of several, where the
 * usual path's Fetch Headers join them (and refuse the result): several take the usual path.
 */
export function soleAuthorization(req: IncomingMessage): string | undefined {
  const raw = req.rawHeaders;
  let seen = 0;
  for (let i = 0; i < raw.length; i += 2)
    if (raw[i]!.length === 13 && raw[i]!.toLowerCase() === "authorization") seen++;
  return seen === 1 ? req.headers.authorization : undefined;
}
