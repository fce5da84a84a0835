import type { z } from "zod";
import { ApiError } from "./errors.server";
import { Id } from "./schemas.server";

// Reading what a client sent: path ids, query strings and JSON bodies, each checked before any
// database work. Bodies are refused by declared size first and by what actually arrives second
// (a client may lie in Content-Length or stream without one).

export const MAX_BODY_BYTES = 16 * 1024;

/** zod issues as {field: message}, the first message per field. */
export function fieldMessages(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[[...issue.path, key].join(".")] ??= "Unknown field: remove it.";
      continue;
    }
    const field = issue.path.length > 0 ? issue.path.join(".") : "body";
    fields[field] ??= issue.message;
  }
  return fields;
}

/** A path id (userId, symbolId): 400 unless it is a UUID. */
export function pathId(params: Record<string, string | undefined>, name: string): string {
  const parsed = Id.safeParse(params[name]);
  if (!parsed.success) {
    throw new ApiError("invalid_parameter", `The ${name} in the path is not a valid id.`, {
      [name]: parsed.error.issues[0]!.message,
    });
  }
  return parsed.data.toLowerCase();
}

/** The query string against a strict schema: unknown or repeated parameters are refused too. */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const values: Record<string, string> = {};
  const fields: Record<string, string> = {};
  for (const [key, value] of new URL(request.url).searchParams) {
    if (key in values) fields[key] = "Give this parameter once.";
    values[key] = value;
  }
  const parsed = schema.safeParse(values);
  if (parsed.success && Object.keys(fields).length === 0) return parsed.data;
  const messages = parsed.success ? fields : { ...fieldMessages(parsed.error), ...fields };
  throw new ApiError("invalid_parameter", "Some query parameters are not valid.", messages);
}

function requireJsonContentType(request: Request): void {
  const contentType = request.headers.get("Content-Type");
  const [mediaType = "", ...params] = (contentType ?? "").split(";").map((part) => part.trim().toLowerCase());
  const isJson = mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
  const charset = params
    .find((p) => p.startsWith("charset="))
    ?.slice("charset=".length)
    .replace(/"/g, "");
  if (!isJson || (charset !== undefined && charset !== "utf-8")) {
    throw new ApiError(
      "unsupported_media_type",
      `Send the body as JSON with "Content-Type: application/json" (got ${contentType ? `"${contentType}"` : "none"}).`,
      {},
      { "Accept-Post": "application/json" },
    );
  }
}

const tooLarge = () =>
  new ApiError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES} bytes.`, {}, { Connection: "close" });

async function readLimited(request: Request): Promise<string> {
  const declared = request.headers.get("Content-Length");
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError("malformed_json", "The body is not valid UTF-8.");
  }
}

/** The JSON body checked against `schema`: 415, 413, 400 (not JSON) or 422 (not the right shape). */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  requireJsonContentType(request);
  const text = await readLimited(request);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(
      "malformed_json",
      text.trim() === "" ? "The body is empty: send a JSON object." : "The body is not valid JSON.",
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ApiError("validation_failed", "The body does not have the expected fields.", fieldMessages(parsed.error));
  }
  return parsed.data;
}
