import { data } from "@remix-run/node";
import { z } from "zod";
import type { UserCursor } from "#db/repositories/users";

// The users list's keyset cursor as it travels in the URL: base64url JSON of the neighbouring
// row's email and id. Checked whole; one this page did not make is a 400, never a database error.

const Cursor = z.object({ email: z.string().min(1).max(320), id: z.guid() });

export function encodeUserCursor(cursor: UserCursor): string {
  return Buffer.from(JSON.stringify({ email: cursor.email, id: cursor.id }), "utf8").toString("base64url");
}

export function decodeUserCursor(text: string | null): UserCursor | undefined {
  if (text === null || text === "") return undefined;
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // Not base64url JSON: refused below like any other cursor this page did not make.
  }
  throw data({ message: "This page link is not valid. Start again from the first page of users." }, { status: 400 });
}
