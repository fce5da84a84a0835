// Text that no field of the console or the API means to hold: a NUL byte (PostgreSQL refuses it
// in text, as a 500 deep in a query) or bytes that are not UTF-8 (URLSearchParams would quietly
// turn them into U+FFFD, so what is stored differs from what was sent). Checked on the query
// string and on form and JSON bodies before any handler runs; the answer names the field.

export type FieldProblems = Record<string, string>;

const NUL_MESSAGE = "Remove the NUL character (\\u0000): it is not allowed in any field.";
const UTF8_MESSAGE = "This value is not valid UTF-8 text.";

function decodePart(part: string): string | null {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

/** Problems in an application/x-www-form-urlencoded string (a query string or a form body). */
export function urlEncodedProblems(encoded: string): FieldProblems {
  const problems: FieldProblems = {};
  if (encoded === "") return problems;
  for (const pair of encoded.split("&")) {
    const eq = pair.indexOf("=");
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    const name = decodePart(rawName);
    const value = decodePart(rawValue);
    const field = name ?? rawName.slice(0, 64);
    if (name === null || value === null) problems[field] ??= UTF8_MESSAGE;
    else if (name.includes("\0") || value.includes("\0")) problems[field] ??= NUL_MESSAGE;
  }
  return problems;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Buffer): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Problems in a request body of the given Content-Type (only text types are looked at). */
export function bodyProblems(contentType: string, body: Buffer): FieldProblems {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    // The body is ASCII when encoded properly; raw bytes over 0x7f are decoded as UTF-8 by readers.
    const text = decodeUtf8(body);
    return text === null ? { body: UTF8_MESSAGE } : urlEncodedProblems(text);
  }
  if (type === "application/json" || type.endsWith("+json")) {
    const text = decodeUtf8(body);
    if (text === null) return { body: UTF8_MESSAGE };
    if (text.includes("\0")) return { body: NUL_MESSAGE };
    if (/\\u0000/i.test(text)) return jsonNulProblems(text);
  }
  return {};
}

/** Which JSON field holds an escaped NUL; a body that is not JSON is left to its reader. */
function jsonNulProblems(text: string): FieldProblems {
  const problems: FieldProblems = {};
  try {
    JSON.parse(text, function (key, value: unknown) {
      if (key.includes("\0") || (typeof value === "string" && value.includes("\0")))
        problems[key || "body"] ??= NUL_MESSAGE;
      return value;
    });
  } catch {
    return {};
  }
  return problems;
}
