import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";
import type { action as tokensAction, ApiTokenView, loader as tokensLoader } from "~/routes/users.$userId.tokens";
import { cx, focusRing } from "~/components/classes";
import { Button } from "./button";
import { ConfirmDialog } from "./confirm-dialog";
import { SimpleTable } from "./simple-table";
import { useHydrated } from "./use-hydrated";

// An end user's API tokens, for staff: list, issue, revoke. Mount it on any console page with the
// user's id (e.g. the user preview); it talks to /users/:userId/tokens through fetchers, so the
// page around it keeps its state. The secret of a new token is shown once, right after issuing.

interface Props {
  userId: string;
  /** The list, when the page's loader already has it; otherwise the panel loads it. */
  tokens?: ApiTokenView[];
  /** Operators and admins may issue and revoke; viewers only see the list. */
  canManage: boolean;
}

const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "never");

/** The lifetimes offered for a new token (the action also takes any `<n>d` or `<n>h`). */
const LIFETIMES = [
  { value: "", label: "Never" },
  { value: "7d", label: "In 7 days" },
  { value: "30d", label: "In 30 days" },
  { value: "90d", label: "In 90 days" },
  { value: "365d", label: "In a year" },
] as const;

const statusOf = (token: ApiTokenView) =>
  token.revokedAt ? `Revoked ${when(token.revokedAt)}` : token.expired ? "Expired" : "Active";

export function ApiTokenPanel({ userId, tokens: initial, canManage }: Props) {
  const action = `/users/${userId}/tokens`;
  const list = useFetcher<typeof tokensLoader>();
  const issue = useFetcher<typeof tokensAction>();
  const revoke = useFetcher<typeof tokensAction>();
  const labelRef = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const hydrated = useHydrated();
  // The token whose revocation waits for the confirmation dialog's answer.
  const [confirming, setConfirming] = useState<ApiTokenView | null>(null);

  useEffect(() => {
    if (!initial && list.state === "idle" && !list.data) list.load(action);
  }, [initial, list, action]);

  // Every answer carries the whole list again; whichever arrived last is current.
  const [tokens, setTokens] = useState<ApiTokenView[]>(initial ?? []);
  useEffect(() => {
    if (list.data) setTokens(list.data.tokens);
  }, [list.data]);
  useEffect(() => {
    if (issue.data) setTokens(issue.data.tokens);
  }, [issue.data]);
  useEffect(() => {
    if (revoke.data) setTokens(revoke.data.tokens);
  }, [revoke.data]);
  const issued = issue.data?.issued;
  const labelError = issue.data?.fieldErrors?.label;
  const expiresError = issue.data?.fieldErrors?.expiresIn;

  useEffect(() => {
    if (issued && labelRef.current) labelRef.current.value = "";
  }, [issued]);

  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
      <h2 id={headingId} className="text-sm font-semibold text-slate-900">
        API tokens
      </h2>
      <p className="mt-0.5 text-xs text-slate-500">
        A token lets this user's app call the symbol API for this user only. Only a hash is stored.
      </p>

      {issued ? (
        <div
          role="status"
          className="mt-3 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900"
        >
          <p className="font-medium">Token "{issued.label}" issued. Copy it now: it will not be shown again.</p>
          <code
            aria-label="Secret of the new token"
            className="mt-2 block rounded bg-white px-2 py-1.5 font-mono text-[13px] break-all ring-1 ring-emerald-200"
          >
            {issued.token}
          </code>
        </div>
      ) : null}
      {revoke.data?.message ? (
        <p role={revoke.data.ok ? "status" : "alert"} className="mt-3 text-sm text-slate-700">
          {revoke.data.message}
        </p>
      ) : null}

      {tokens.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">{list.state === "loading" ? "Loading tokens…" : "No tokens yet."}</p>
      ) : (
        <SimpleTable
          className="mt-3"
          columns={[
            { label: "Label" },
            { label: "Token" },
            { label: "Created" },
            { label: "Last used" },
            { label: "Expires" },
            { label: "Status" },
            canManage && { label: "Actions", hidden: true },
          ]}
        >
          <tbody className="divide-y divide-slate-100">
            {tokens.map((token) => (
              <tr key={token.id} className={token.revokedAt || token.expired ? "text-slate-400" : "text-slate-800"}>
                <td className="py-1.5 pr-3 font-medium">{token.label}</td>
                <td className="py-1.5 pr-3 font-mono text-xs">{token.prefix}</td>
                <td className="py-1.5 pr-3 whitespace-nowrap">{when(token.createdAt)}</td>
                <td className="py-1.5 pr-3 whitespace-nowrap">{when(token.lastUsedAt)}</td>
                <td className="py-1.5 pr-3 whitespace-nowrap">{when(token.expiresAt)}</td>
                <td className="py-1.5 pr-3 whitespace-nowrap">{statusOf(token)}</td>
                {canManage ? (
                  <td className="py-1.5 text-right">
                    {token.revokedAt ? null : (
                      <revoke.Form
                        method="post"
                        action={action}
                        onSubmit={(event) => {
                          // Destructive and immediate: ask first (without JavaScript the post goes at once).
                          if (!hydrated) return;
                          event.preventDefault();
                          setConfirming(token);
                        }}
                      >
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="tokenId" value={token.id} />
                        <Button
                          type="submit"
                          variant="dangerSubtle"
                          size="xs"
                          pending={revoke.state !== "idle" && revoke.formData?.get("tokenId") === token.id}
                          pendingText="Revoking…"
                          aria-label={`Revoke ${token.label}`}
                        >
                          Revoke
                        </Button>
                      </revoke.Form>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </SimpleTable>
      )}

      <ConfirmDialog
        open={confirming !== null}
        title={`Revoke "${confirming?.label ?? ""}"?`}
        confirmLabel="Revoke token"
        tone="danger"
        onConfirm={() => {
          if (confirming) revoke.submit({ intent: "revoke", tokenId: confirming.id }, { method: "post", action });
          setConfirming(null);
        }}
        onCancel={() => setConfirming(null)}
      >
        <p>Apps using this token lose access at once. This cannot be undone: the user needs a new token.</p>
      </ConfirmDialog>

      {canManage ? (
        <issue.Form method="post" action={action} className="mt-4 flex flex-wrap items-start gap-2">
          <input type="hidden" name="intent" value="issue" />
          <div className="min-w-56 flex-1">
            <label htmlFor={`${headingId}-label`} className="block text-[13px] font-medium text-slate-700">
              Label for a new token
            </label>
            <input
              ref={labelRef}
              id={`${headingId}-label`}
              name="label"
              required
              maxLength={100}
              placeholder="e.g. iOS app"
              aria-invalid={labelError ? true : undefined}
              aria-describedby={`${headingId}-label-error`}
              className={cx("/40 mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm", focusRing)}
            />
            <p
              id={`${headingId}-label-error`}
              className="mt-1 min-h-4 text-xs font-medium text-red-600"
              aria-live="polite"
            >
              {labelError ?? issue.data?.fieldErrors?.userId ?? ""}
            </p>
          </div>
          <div>
            <label htmlFor={`${headingId}-expires`} className="block text-[13px] font-medium text-slate-700">
              Expires
            </label>
            <select
              id={`${headingId}-expires`}
              name="expiresIn"
              defaultValue=""
              aria-invalid={expiresError ? true : undefined}
              aria-describedby={`${headingId}-expires-error`}
              className={cx(
                "mt-1 block rounded-md border border-slate-300 px-2 py-1.5 text-sm focus:outline-none",
                "focus-visible:ring-2 focus-visible:ring-indigo-500/40",
              )}
            >
              {LIFETIMES.map((lifetime) => (
                <option key={lifetime.value} value={lifetime.value}>
                  {lifetime.label}
                </option>
              ))}
            </select>
            <p
              id={`${headingId}-expires-error`}
              className="mt-1 min-h-4 text-xs font-medium text-red-600"
              aria-live="polite"
            >
              {expiresError ?? ""}
            </p>
          </div>
          <Button type="submit" className="mt-6" pending={issue.state !== "idle"} pendingText="Issuing…">
            Issue token
          </Button>
        </issue.Form>
      ) : null}
    </section>
  );
}
