import type { ActionFunctionArgs, LoaderFunctionArgs, TypedResponse } from "@remix-run/node";
import { z } from "zod";
import {
  ApiTokenInputError,
  issueApiToken,
  listApiTokens,
  MAX_LABEL_LENGTH,
  parseTokenLifetime,
  revokeApiToken,
} from "#db/repositories/api-tokens";
import { userExists } from "#db/repositories/users";
import { parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/console-forms.server";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";
import { uuidParam } from "~/utils/preconditions.server";

// /users/:userId/tokens: an end user's API tokens for staff. GET lists them (viewer); POST issues
// (intent=issue, label, expiresIn: "30d", "12h" or empty for never) or revokes (intent=revoke, tokenId) one
// (operator). The panel component
// (app/components/api-token-panel.tsx) posts here with a fetcher from any page, e.g. the user's
// preview. A new secret is in the action's answer only, once.

const IdSchema = z.guid();
const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("issue"),
    label: z
      .string()
      .trim()
      .min(1, 'Give the token a label, e.g. "iOS app".')
      .max(MAX_LABEL_LENGTH, "At most 100 characters."),
    expiresIn: z.string().trim().default(""),
  }),
  z.object({ intent: z.literal("revoke"), tokenId: IdSchema }),
]);

export interface ApiTokenView {
  id: string;
  label: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** When the API starts refusing it; null: never. */
  expiresAt: string | null;
  expired: boolean;
}

/** Every answer, loader's and action's alike: the whole list again, and what happened. */
export interface TokensAnswer {
  ok: boolean;
  tokens: ApiTokenView[];
  message?: string;
  fieldErrors?: Partial<Record<string, string>>;
  issued?: { id: string; label: string; token: string };
}

const views = (tokens: Awaited<ReturnType<typeof listApiTokens>>): ApiTokenView[] =>
  tokens.map((t) => ({
    id: t.id,
    label: t.label,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    expired: t.expiresAt !== null && t.expiresAt.getTime() <= Date.now(),
  }));

const userIdFrom = (params: LoaderFunctionArgs["params"]) =>
  uuidParam(params.userId, "There is no user at this address.");

// A resource route answers with a Response; the TypedResponse brand lets the panel's fetchers
// infer the body from `typeof action` (Response.json itself is untyped).
const reply = (body: TokensAnswer, status = 200) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } }) as TypedResponse<TokensAnswer>;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  const userId = userIdFrom(params);
  return withDb(async ({ db }) => {
    if (!(await userExists(db, userId)))
      return reply({ ok: false, message: "There is no such user.", tokens: [] }, 404);
    return reply({ ok: true, tokens: views(await listApiTokens(db, userId)) });
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "operator");
  const userId = userIdFrom(params);
  const parsed = parseForm(ActionSchema, await readForm(request));
  return withDb(async ({ db }) => {
    if (!parsed.ok) {
      return reply({ ok: false, fieldErrors: parsed.fieldErrors, tokens: views(await listApiTokens(db, userId)) }, 400);
    }
    if (parsed.data.intent === "revoke") {
      const revoked = await revokeApiToken(db, parsed.data.tokenId, { userId });
      const tokens = views(await listApiTokens(db, userId));
      if (!revoked) return reply({ ok: false, message: "That token does not belong to this user.", tokens }, 404);
      return reply({ ok: true, message: `Revoked "${revoked.label}". Apps using it are refused from now on.`, tokens });
    }
    try {
      const { label, expiresIn } = parsed.data;
      const lifetimeMs = expiresIn ? parseTokenLifetime(expiresIn) : null;
      const { token, apiToken } = await issueApiToken(db, userId, label, { createdByStaffId: staff.id, lifetimeMs });
      const tokens = views(await listApiTokens(db, userId));
      return reply({ ok: true, issued: { id: apiToken.id, label: apiToken.label, token }, tokens });
    } catch (error) {
      if (!(error instanceof ApiTokenInputError)) throw error;
      const status = error.field === "userId" ? 404 : 400;
      return reply(
        { ok: false, fieldErrors: { [error.field]: error.message }, tokens: views(await listApiTokens(db, userId)) },
        status,
      );
    }
  });
}
