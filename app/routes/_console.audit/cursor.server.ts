import { z } from "zod";
import { isTimestampText } from "~/utils/query-input.server";

// The audit log's keyset cursor as it travels in the URL: base64url JSON of the last entry's
// time (as PostgreSQL wrote it) and id. Checked whole, since both are cast in the query.

const Cursor = z.object({ at: z.string().max(64).refine(isTimestampText), id: z.guid() });

/** The cursor in the URL; undefined when it is not one this page made. */
export function decodeAuditCursor(text: string): z.infer<typeof Cursor> | undefined {
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
