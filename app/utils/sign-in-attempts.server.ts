import type { ActionFunctionArgs } from "@remix-run/node";
import { plural } from "~/utils/plural";

// What the sign-in and first-run setup actions share about an attempt: who made it (the client
// address) and how a throttle's wait is put into words.

/** The client address the server saw (app/server/client-info.ts); tests without a server share one. */
export const clientAddressOf = (context: ActionFunctionArgs["context"]): string =>
  typeof context.clientAddress === "string" ? context.clientAddress : "unknown";

export const waitText = (seconds: number): string =>
  seconds < 60 ? plural(seconds, "second") : plural(Math.ceil(seconds / 60), "minute");
