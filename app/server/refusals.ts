import type { ServerResponse } from "node:http";
import type { FieldProblems } from "./input-check";

// Answers the server gives itself, before any route runs: a short page for a browser, the API's
// error shape under /api, JSON for a fetcher or script. Never a stack trace.

export type RefusalFormat = "page" | "api" | "json";

export interface Refusal {
  status: 400 | 403 | 413 | 503;
  code: "invalid_parameter" | "forbidden" | "payload_too_large" | "service_unavailable";
  title: string;
  message: string;
  fields?: FieldProblems;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(refusal: Refusal): string {
  const fields = Object.entries(refusal.fields ?? {})
    .map(([field, message]) => `<li><strong>${escapeHtml(field)}</strong>: ${escapeHtml(message)}</li>`)
    .join("");
  const head =
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(refusal.title)} · Symbol Desk</title>`;
  const style = "font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem";
  const body =
    `<h1>${escapeHtml(refusal.title)}</h1><p>${escapeHtml(refusal.message)}</p>` +
    (fields ? `<ul>${fields}</ul>` : "") +
    '<p><a href="/">Back to Symbol Desk</a></p>';
  return `<!doctype html><html lang="en"><head>${head}</head><body style="${style}">${body}</body></html>`;
}

export function sendRefusal(
  res: ServerResponse,
  refusal: Refusal,
  format: RefusalFormat,
  headers: Record<string, string>,
): void {
  let body: string;
  let type: string;
  if (format === "page") {
    body = page(refusal);
    type = "text/html; charset=utf-8";
  } else {
    const error = { code: refusal.code, message: refusal.message, fields: refusal.fields ?? {} };
    body = JSON.stringify(format === "api" ? { error } : error);
    type = "application/json; charset=utf-8";
  }
  res.writeHead(refusal.status, {
    ...headers,
    "Content-Type": type,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  res.end(body);
}

/** How a refusal should look to this request. */
export function refusalFormat(pathname: string, isApi: boolean, accept: string | undefined): RefusalFormat {
  if (isApi) return "api";
  if (pathname.endsWith(".data")) return "json";
  return (accept ?? "").includes("text/html") ? "page" : "json";
}
