import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { listDefaultsForEditing, searchDefaultCandidates } from "#db/repositories/defaults";
import { DEFAULT_SYMBOL_COUNT } from "#db/rules/defaults";
import { roleAtLeast } from "#db/repositories/staff";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { ConfirmSection } from "~/components/confirm-section";
import { useHydrated } from "~/components/use-hydrated";
import { ADDED_DEFAULT_PLACE, additionConsequence, putBackPlace } from "~/utils/default-consequences";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";
import { defaultsAction } from "./actions.server";
import { SortableDefaults } from "./sortable-defaults";
import { cx, focusRing } from "~/components/classes";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Defaults · Symbol Desk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "viewer");
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 32);
  return withDb(async ({ db }) => {
    const [defaults, candidates] = await Promise.all([
      listDefaultsForEditing(db),
      q ? searchDefaultCandidates(db, q) : Promise.resolve([]),
    ]);
    return { defaults, candidates, q, canEdit: roleAtLeast(staff.role, "operator") };
  });
}

export const action = ({ request }: ActionFunctionArgs) => defaultsAction(request);

function AddButton({
  candidate,
  defaultCount,
}: {
  candidate: { id: string; ticker: string; version: number };
  defaultCount: number;
}) {
  const fetcher = useFetcher<typeof action>({ key: `add-${candidate.id}` });
  const hydrated = useHydrated();
  const [confirming, setConfirming] = useState(false);
  // A tenth default (or any count off the rule's) fires a rollback trigger: confirm first. The
  // server asks too when this page's count was out of date; its words win.
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const asked = answer?.kind === "confirm" ? answer.message : null;
  useEffect(() => {
    if (asked) setConfirming(true);
  }, [asked]);
  const consequence = asked ?? additionConsequence(defaultCount);
  const error = answer && answer.kind !== "saved" && answer.kind !== "confirm" ? answer.message : null;
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="add" />
      <input type="hidden" name="symbolId" value={candidate.id} />
      <input type="hidden" name="version" value={candidate.version} />
      {hydrated ? null : <input type="hidden" name="nojs" value="1" />}
      <Button
        type="submit"
        size="xs"
        pending={fetcher.state !== "idle"}
        pendingText="Adding…"
        srText={`${candidate.ticker} to the defaults`}
        onClick={(event) => {
          if (!consequence || !hydrated) return;
          event.preventDefault();
          setConfirming(true);
        }}
      >
        Add
      </Button>
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Make ${candidate.ticker} a default?`}
        confirmLabel={`Add ${candidate.ticker}`}
        tone="danger"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          fetcher.submit(
            { intent: "add", symbolId: candidate.id, version: String(candidate.version), confirm: "yes" },
            { method: "post", action: "/symbols/defaults" },
          );
        }}
      >
        <p>Anonymous users see {candidate.ticker} among their defaults.</p>
        <p className="font-medium text-slate-900">{consequence}</p>
        <p>{ADDED_DEFAULT_PLACE}</p>
      </ConfirmDialog>
    </fetcher.Form>
  );
}

/** Without JavaScript, Add and Remove that fire the trigger come back as this question. */
function NoScriptConfirmation({ defaults }: { defaults: Array<{ id: string }> }) {
  const asked = useActionData<typeof action>();
  const location = useLocation();
  if (asked?.kind !== "confirm") return null;
  const adding = asked.intent === "add";
  const position = defaults.findIndex((d) => d.id === asked.symbolId) + 1;
  return (
    <ConfirmSection
      title={adding ? `Make ${asked.ticker} a default?` : `Remove ${asked.ticker} from the defaults?`}
      message={asked.message}
      fields={{ intent: asked.intent, symbolId: asked.symbolId, version: String(asked.version), nojs: "1" }}
      confirmLabel={`${adding ? "Add" : "Remove"} ${asked.ticker}`}
      cancelTo={`${location.pathname}${location.search}`}
    >
      <p>{adding ? ADDED_DEFAULT_PLACE : putBackPlace(position || null)}</p>
    </ConfirmSection>
  );
}

export default function DefaultsPage() {
  const { defaults, candidates, q, canEdit } = useLoaderData<typeof loader>();
  const off = defaults.length !== DEFAULT_SYMBOL_COUNT;
  return (
    <div className="space-y-5">
      <PageHeader
        title="Default symbols"
        description={
          <>
            What anonymous users see, in this order.{" "}
            {canEdit
              ? "Drag a handle, or focus it and use Space and the arrow keys, to reorder."
              : "You have read-only access."}
          </>
        }
      >
        <p
          className={
            `rounded-md px-2.5 py-1 text-[13px] font-semibold tabular-nums ring-1 ring-inset ` +
            `${off ? "bg-amber-50 text-amber-900 ring-amber-300" : "bg-emerald-50 text-emerald-800 ring-emerald-200"}`
          }
        >
          {defaults.length} of {DEFAULT_SYMBOL_COUNT} defaults
        </p>
      </PageHeader>
      {off ? (
        <p
          role="status"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-[13px] text-amber-900"
        >
          The migration's rule is exactly {DEFAULT_SYMBOL_COUNT} defaults; there are {defaults.length}. A different
          count is a rollback trigger: bring it back to {DEFAULT_SYMBOL_COUNT} or agree the change with the data
          architecture team.
        </p>
      ) : null}
      <NoScriptConfirmation defaults={defaults} />
      <SortableDefaults defaults={defaults} canEdit={canEdit} />
      {canEdit ? (
        <section aria-labelledby="add-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
          <h2 id="add-title" className="text-sm font-semibold text-slate-900">
            Add a default
          </h2>
          <p className="text-xs text-slate-500">
            Only active symbols can be defaults. A new default goes to the end of the list.
          </p>
          <Form method="get" role="search" className="mt-3 flex items-end gap-2">
            <div>
              <label htmlFor="candidate-q" className="block text-xs font-medium text-slate-600">
                Find a symbol by ticker or name
              </label>
              <input
                id="candidate-q"
                name="q"
                type="search"
                defaultValue={q}
                maxLength={32}
                className={cx("mt-1 w-64 rounded-md border border-slate-300 px-2 py-1 text-[13px]", focusRing)}
              />
            </div>
            <Button type="submit" size="sm">
              Search
            </Button>
          </Form>
          {q ? (
            candidates.length === 0 ? (
              <p className="mt-3 text-[13px] text-slate-500">No active, non-default symbol matches “{q}”.</p>
            ) : (
              <ul aria-label="Matching symbols" className="mt-3 divide-y divide-slate-100">
                {candidates.map((c) => (
                  <li key={c.id} className="flex items-center gap-3 py-1.5 text-[13px]">
                    <span className="w-28 font-mono font-semibold">{c.ticker}</span>
                    <span className="flex-1 truncate text-slate-600">
                      {c.display} <span className="text-slate-500">· {c.market_code}</span>
                    </span>
                    <AddButton candidate={c} defaultCount={defaults.length} />
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
