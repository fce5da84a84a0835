import { z } from "zod";
import type { ListRequest } from "#db/repositories/symbols-list";
import { decodeCursor, SORT_KEYS, type SortKey, SORTS } from "#db/repositories/symbols-sorts";
import type { FieldErrors } from "~/utils/forms.server";
import { badQuery, isInt4Text, isTimestampText } from "~/utils/query-input.server";

// The /symbols URL: everything the table shows is in it, so a link reproduces the view and Back
// works. Values outside the allow-lists fall back to the defaults instead of failing.

const yesNo = z.enum(["yes", "no"]).optional().catch(undefined);
const uuid = z.guid().optional().catch(undefined);

const ListParams = z.object({
  q: z.string().trim().max(64).optional().catch(undefined),
  assetClass: uuid,
  market: uuid,
  provider: z
    .union([z.guid(), z.literal("none")])
    .optional()
    .catch(undefined),
  default: yesNo,
  active: yesNo,
  tracked: yesNo,
  sort: z.enum(SORT_KEYS).catch("ticker"),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  size: z.coerce
    .number()
    .pipe(z.union([z.literal(25), z.literal(50), z.literal(100)]))
    .catch(50),
  after: z.string().max(500).optional().catch(undefined),
  before: z.string().max(500).optional().catch(undefined),
});

export type ListParams = z.infer<typeof ListParams>;

const CURSOR_MESSAGE = "This is not a page of this list: start again from the first page.";

/** A cursor this page could have made for `sort`: its key is cast to the sort's type in the query. */
function isCursorFor(text: string, sort: SortKey): boolean {
  const cursor = decodeCursor(text);
  if (!cursor) return false;
  const spec = SORTS[sort];
  if (spec.kind !== "range" || spec.type === "text") return true;
  return spec.type === "integer" ? isInt4Text(cursor.k) : isTimestampText(cursor.k);
}

/** The list's parameters; a cursor that is not one of ours is a 400 (thrown), not a 500 later. */
export function parseListParams(url: URL): { params: ListParams; request: ListRequest } {
  const raw = Object.fromEntries(url.searchParams);
  const params = ListParams.parse(raw);
  const problems: FieldErrors = {};
  for (const name of ["after", "before"] as const) {
    const value = params[name];
    if (value && !isCursorFor(value, params.sort)) problems[name] = CURSOR_MESSAGE;
  }
  if (Object.keys(problems).length > 0) throw badQuery(problems);
  const flag = (v: "yes" | "no" | undefined) => (v === undefined ? undefined : v === "yes");
  const request: ListRequest = {
    filters: {
      q: params.q || undefined,
      assetClassId: params.assetClass,
      marketId: params.market,
      providerId: params.provider,
      isDefault: flag(params.default),
      isActive: flag(params.active),
      isTracked: flag(params.tracked),
    },
    sort: params.sort,
    dir: params.dir ?? SORTS[params.sort].defaultDir,
    after: params.after,
    before: params.before,
    limit: params.size,
  };
  return { params: { ...params, dir: request.dir }, request };
}
