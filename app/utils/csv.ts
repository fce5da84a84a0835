// CSV (RFC 4180, CRLF lines) that is safe to open in a spreadsheet: text starting with = + - @
// (or a tab or carriage return) would run as a formula there, so such a cell gets a leading
// apostrophe and is shown as text. Numbers and booleans are written as they are.

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  let text = value instanceof Date ? value.toISOString() : value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: ReadonlyArray<Parameters<typeof csvCell>[0]>): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
