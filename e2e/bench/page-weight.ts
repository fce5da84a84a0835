import { gzipSync } from "node:zlib";

// The weight of the /symbols page the load test requests: bytes of HTML (raw and gzipped), how
// many elements and confirmation dialogs it holds, for a viewer and for an operator (whose rows
// carry the inline editors). Sizes, printed beside the load figures; the goal is ≤ 120 KB for
// the 50 rows of the default page.

export interface PageWeight {
  who: string;
  path: string;
  rows: number;
  htmlBytes: number;
  gzipBytes: number;
  elements: number;
  dialogs: number;
}

export const PAGE_HTML_GOAL_BYTES = 120 * 1024;

export async function pageWeight(baseUrl: string, who: string, cookie: string, path = "/symbols"): Promise<PageWeight> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { cookie }, redirect: "manual" });
  if (response.status !== 200) throw new Error(`${path} as ${who} answered ${response.status}`);
  const html = await response.text();
  const body = html.slice(html.indexOf("<tbody"), html.indexOf("</tbody>"));
  return {
    who,
    path,
    rows: body.match(/<tr[\s>]/g)?.length ?? 0,
    htmlBytes: Buffer.byteLength(html),
    gzipBytes: gzipSync(html).length,
    // Start tags outside the scripts: what the browser makes elements of.
    elements: html.replace(/<script[\s\S]*?<\/script>/g, "<script>").match(/<[a-zA-Z][^>]*>/g)?.length ?? 0,
    dialogs: html.match(/<dialog[\s>]/g)?.length ?? 0,
  };
}

export function pageWeightLines(weights: PageWeight[]): string[] {
  if (weights.length === 0) return [];
  return [
    "",
    "## /symbols page weight",
    "",
    "| signed in as | path | rows | HTML | gzipped | elements | dialogs |",
    "|---|---|---:|---:|---:|---:|---:|",
    ...weights.map(
      (w) =>
        `| ${w.who} | ${w.path} | ${w.rows} | ${(w.htmlBytes / 1024).toFixed(1)} KB${w.htmlBytes <= PAGE_HTML_GOAL_BYTES ? " ✓" : " ✗"} | ` +
        `${(w.gzipBytes / 1024).toFixed(1)} KB | ${w.elements} | ${w.dialogs} |`,
    ),
    "",
    "Goal: at most 120 KB of HTML for 50 rows, one confirmation dialog.",
  ];
}
