import { z } from "zod";
import type { ListRequest } from "#db/repositories/symbols-list";
import { SORT_KEYS, SORTS } from "#db/repositories/symbols-sorts";

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

export function parseListParams(url: URL): { params: ListParams; request: ListRequest } {
  const raw = Object.fromEntries(url.searchParams);
  const params = ListParams.parse(raw);
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
