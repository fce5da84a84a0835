import { useFetcher } from "@remix-run/react";
import type { action } from "./route";
import { FIELD_LABELS, isEditableField } from "#db/repositories/symbols-fields";
import { Button } from "~/components/button";
import { SavedNote, useSavedFlash } from "~/components/saved-note";
import { When } from "~/components/status-pills";
import { useHydrated } from "~/components/use-hydrated";

// A symbol's audit history with before and after, and undo of an entry while the symbol still
// holds that entry's after-value (the server checks again; a later change is never overwritten).

interface Entry {
  id: string;
  created_at: string | Date;
  action: string;
  field: string;
  before_value: string | null;
  after_value: string | null;
  staff_name: string | null;
}

type Current = Record<string, unknown>;

export function formatAuditValue(field: string, value: string | null, providerNames: Record<string, string>): string {
  if (value === null) return "none";
  if (field === "data_provider_id") return providerNames[value] ?? `${value.slice(0, 8)}…`;
  if (value === "true") return "on";
  if (value === "false") return "off";
  return value;
}

// One fetcher for every undo button of the page, so the outcome is announced above the table
// even though the button that was pressed is gone once its entry is no longer the latest.
const UNDO_KEY = "symbol-undo";

function UndoButton({ entry }: { entry: Entry }) {
  const fetcher = useFetcher<typeof action>({ key: UNDO_KEY });
  const hydrated = useHydrated();
  const mine = fetcher.formData?.get("auditId") === entry.id;
  const label = FIELD_LABELS[entry.field] ?? entry.field;
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="undo" />
      <input type="hidden" name="auditId" value={entry.id} />
      {hydrated ? null : <input type="hidden" name="redirectTo" value="" />}
      <Button
        type="submit"
        variant="secondary"
        size="xs"
        disabled={fetcher.state !== "idle"}
        pending={mine}
        pendingText="Undoing…"
        srText={`${label} change`}
      >
        Undo latest
      </Button>
    </fetcher.Form>
  );
}

/** The outcome of the last undo: a short success note, or why it was refused. */
function UndoOutcome() {
  const fetcher = useFetcher<typeof action>({ key: UNDO_KEY });
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const saved = useSavedFlash(answer, answer?.kind === "saved");
  const fields = answer?.kind === "saved" ? answer.fields.map((f) => FIELD_LABELS[f] ?? f).join(", ") : "";
  return (
    <div className="mb-2 min-h-5 text-xs">
      <SavedNote shown={saved} message={`Undone: ${fields} restored.`} visible={`Undone: ${fields} restored`} />
      {answer && answer.kind !== "saved" ? (
        <p role="alert" className="font-medium text-red-700">
          {answer.message}
        </p>
      ) : null}
    </div>
  );
}

export function SymbolHistory({
  history,
  current,
  canEdit,
  providerNames,
}: {
  history: Entry[];
  current: Current;
  canEdit: boolean;
  providerNames: Record<string, string>;
}) {
  const latestOfField = new Map<string, string>();
  for (const entry of history) if (!latestOfField.has(entry.field)) latestOfField.set(entry.field, entry.id);
  return (
    <section aria-labelledby="history-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
      <h2 id="history-title" className="mb-2 text-sm font-semibold text-slate-900">
        Audit history
      </h2>
      {canEdit ? <UndoOutcome /> : null}
      {history.length === 0 ? (
        <p className="text-[13px] text-slate-500">No one has changed this symbol from the console yet.</p>
      ) : (
        <table className="w-full text-left text-[13px]">
          <caption className="sr-only">Changes to this symbol, newest first</caption>
          <thead>
            <tr className="border-b border-slate-200 text-[11px] tracking-wide text-slate-500 uppercase">
              <th scope="col" className="py-1.5 pr-2 font-medium">
                When
              </th>
              <th scope="col" className="py-1.5 pr-2 font-medium">
                Who
              </th>
              <th scope="col" className="py-1.5 pr-2 font-medium">
                Field
              </th>
              <th scope="col" className="py-1.5 pr-2 font-medium">
                Before → after
              </th>
              <th scope="col" className="py-1.5 font-medium">
                <span className="sr-only">Undo</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {history.map((entry) => {
              // Newest first: only each field's latest entry can be undone.
              const undoable =
                canEdit &&
                isEditableField(entry.field) &&
                latestOfField.get(entry.field) === entry.id &&
                String(current[entry.field] ?? "") === (entry.after_value ?? "");
              return (
                <tr key={entry.id} className="border-b border-slate-100 align-top last:border-0">
                  <td className="py-1.5 pr-2 text-xs text-slate-600">
                    <When at={entry.created_at} />
                  </td>
                  <td className="py-1.5 pr-2">
                    {entry.staff_name ?? <span className="text-slate-500">removed staff</span>}
                  </td>
                  <td className="py-1.5 pr-2">
                    {FIELD_LABELS[entry.field] ?? entry.field}
                    {entry.action !== "edit" ? (
                      <span className="ml-1 text-[11px] text-slate-500">
                        ({entry.action.replace(/:.*/, "").replace("_", " ")})
                      </span>
                    ) : null}
                  </td>
                  <td className="py-1.5 pr-2 font-mono text-xs">
                    {formatAuditValue(entry.field, entry.before_value, providerNames)} →{" "}
                    {formatAuditValue(entry.field, entry.after_value, providerNames)}
                  </td>
                  <td className="py-1.5">{undoable ? <UndoButton entry={entry} /> : null}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
