import type { LoaderFunctionArgs } from "@remix-run/node";
import { type SymbolListRow, walkSymbols } from "#db/repositories/symbols-list";
import { csvLine } from "~/utils/csv";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";
import { parseListParams } from "../_console.symbols._index/query.server";

// The /symbols view as CSV: the same URL parameters (filters and sort, not the page), every
// matching row, streamed one keyset page at a time so even the whole catalogue is never held in
// memory. Whoever may see /symbols may export it.

const PAGE_ROWS = 1000;

const HEADER = [
  "ticker",
  "name",
  "asset_class",
  "market",
  "provider",
  "provider_status",
  "broadcast_priority",
  "default",
  "active",
  "tracked",
  "last_broadcast_at",
  "updated_at",
  "id",
];

function lines(rows: SymbolListRow[]): string {
  return rows
    .map((r) =>
      csvLine([
        r.ticker,
        r.display,
        r.asset_class_code,
        r.market_code,
        r.provider_code,
        r.provider_status,
        r.broadcast_priority,
        r.is_default_symbol,
        r.is_active,
        r.is_tracked,
        r.last_broadcast_at,
        r.updated_at,
        r.id,
      ]),
    )
    .join("");
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  const url = new URL(request.url);
  // The whole view, whichever page the link was made on.
  url.searchParams.delete("after");
  url.searchParams.delete("before");
  const { request: view } = parseListParams(url);
  const encoder = new TextEncoder();
  // The first page is read before answering, so a database that is away is a 503, not a cut file.
  return withDb(async ({ db }) => {
    const pages = walkSymbols(db, view, PAGE_ROWS);
    const first = await pages.next();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(csvLine(HEADER) + (first.done ? "" : lines(first.value))));
        if (first.done) controller.close();
      },
      async pull(controller) {
        const next = await pages.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(lines(next.value)));
      },
      async cancel() {
        await pages.return(undefined);
      },
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="symbols-${day}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  });
}
