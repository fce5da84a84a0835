import { Form, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { FilterOptions } from "#db/repositories/symbols-list";
import type { action } from "./route";
import { BULK_LABELS, BULK_OPERATIONS, type BulkOperation, describeBulk } from "./bulk-text";
import { cx, focusRing } from "~/components/classes";
import { useAsk } from "./confirm";

// The bulk action bar above the table. The row checkboxes belong to this form (form="bulk-form").
// With JavaScript a dialog states how many rows change before anything is sent; without it the
// server answers with the same sentence and a confirm button.

interface Props {
  selectedCount: number;
  /** How many of the selected rows are defaults, and how many defaults there are. */
  selectedDefaults: number;
  defaultCount: number;
  here: string;
  hydrated: boolean;
  providers: FilterOptions["providers"];
  markets: FilterOptions["markets"];
  onDone: () => void;
}

const control = cx("rounded-md border border-slate-300 bg-white px-2 py-1 text-[13px]", focusRing);

export function BulkBar({
  selectedCount,
  selectedDefaults,
  defaultCount,
  here,
  hydrated,
  providers,
  markets,
  onDone,
}: Props) {
  const fetcher = useFetcher<typeof action>({ key: "bulk" });
  const formRef = useRef<HTMLFormElement>(null);
  const [operation, setOperation] = useState<BulkOperation>("priority");
  const ask = useAsk();
  const [clientError, setClientError] = useState<string | null>(null);
  const response = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (response?.kind === "saved") onDone();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per answer; onDone is new each render
  }, [response]);
  const marketCode = Object.fromEntries(markets.map((m) => [m.id, m.code]));
  const error =
    clientError ??
    (response && response.kind !== "saved" && response.kind !== "confirm"
      ? response.kind === "invalid"
        ? (Object.values(response.fieldErrors)[0] ?? response.message)
        : response.message
      : null);

  return (
    <fetcher.Form
      ref={formRef}
      id="bulk-form"
      method="post"
      action="/symbols?index"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (selectedCount === 0) return setClientError("Select at least one symbol first.");
        const form = new FormData(event.currentTarget);
        setClientError(null);
        const rows = `${selectedCount} symbol${selectedCount === 1 ? "" : "s"}`;
        ask({
          title: `Change ${rows}?`,
          confirmLabel: `Change ${rows}`,
          tone: operation === "deprecate" ? "danger" : "primary",
          children: (
            <>
              <p>
                {describeBulk(operation, selectedCount, String(form.get("priority") ?? ""), {
                  selected: selectedDefaults,
                  total: defaultCount,
                })}
              </p>
              <p>All of them change, or none does if any one is refused or was changed meanwhile.</p>
            </>
          ),
          onConfirm: () => {
            const confirmed = new FormData(formRef.current!);
            confirmed.set("confirm", "yes");
            fetcher.submit(confirmed, { method: "post", action: "/symbols?index" });
          },
        });
      }}
      aria-labelledby="bulk-title"
      className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white px-3 py-2 shadow-xs"
    >
      {hydrated ? null : <input type="hidden" name="redirectTo" value={here} />}
      <h2 id="bulk-title" className="self-center text-[13px] font-semibold text-slate-900">
        Bulk change{" "}
        <span className="font-normal text-slate-500">
          {/* Wide enough for either text, so nothing after it moves when the page hydrates. */}
          <span className="inline-block min-w-28">
            {hydrated ? `· ${selectedCount} selected` : "· tick rows below"}
          </span>
        </span>
      </h2>
      <div>
        <label htmlFor="bulk-operation" className="sr-only">
          Bulk action
        </label>
        <select
          id="bulk-operation"
          name="operation"
          value={operation}
          onChange={(e) => setOperation(e.target.value as BulkOperation)}
          className={control}
        >
          {BULK_OPERATIONS.map((op) => (
            <option key={op} value={op}>
              {BULK_LABELS[op]}
            </option>
          ))}
        </select>
      </div>
      {/* Both fields are always there (without JavaScript either may be needed); the one the
          chosen action does not use is disabled, so the bar keeps its layout when it hydrates. */}
      <div className="flex items-center gap-1">
        <label htmlFor="bulk-priority" className="text-xs text-slate-600">
          Priority
        </label>
        <input
          id="bulk-priority"
          name="priority"
          type="number"
          min={0}
          max={100}
          defaultValue={50}
          disabled={hydrated && operation !== "priority"}
          className={`${control} w-20 disabled:opacity-50`}
        />
      </div>
      <div className="flex items-center gap-1">
        <label htmlFor="bulk-provider" className="text-xs text-slate-600">
          Provider
        </label>
        <select
          id="bulk-provider"
          name="providerId"
          disabled={hydrated && operation !== "provider"}
          className={`${control} disabled:opacity-50`}
        >
          {providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.code} ({marketCode[p.market_id]}) · {p.connection_status}
            </option>
          ))}
        </select>
      </div>
      <button
        type="submit"
        disabled={fetcher.state !== "idle"}
        className={cx(
          "rounded-md bg-indigo-600 px-3 py-1 text-[13px] font-semibold",
          "text-white hover:bg-indigo-500 focus-visible:ring-offset-2",
          "disabled:opacity-60",
          focusRing,
        )}
      >
        {fetcher.state !== "idle" ? "Applying…" : "Apply to selected"}
      </button>
      <div aria-live="polite" className="min-w-0 flex-1 self-center text-[13px]">
        {error ? (
          <p role="alert" className="font-medium text-red-700">
            {error}
          </p>
        ) : null}
        {response?.kind === "saved" ? (
          <p className="text-emerald-800">
            Done: {response.changed} symbol{response.changed === 1 ? "" : "s"} changed.
          </p>
        ) : null}
      </div>
    </fetcher.Form>
  );
}

/** The no-JavaScript confirmation: the same fields again, plus confirm=yes. */
export function BulkConfirmPanel({ message, fields }: { message: string; fields: Array<[string, string]> }) {
  return (
    <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-[13px] text-amber-900">
      <p className="font-medium">{message} All of them change, or none does.</p>
      <Form method="post" action="/symbols?index" className="mt-2 flex gap-2">
        {fields
          .filter(([k]) => k !== "confirm")
          .map(([k, v], i) => (
            <input key={`${k}-${i}`} type="hidden" name={k} value={v} />
          ))}
        <input type="hidden" name="confirm" value="yes" />
        <button
          type="submit"
          className={cx(
            "rounded-md bg-indigo-600 px-3 py-1 font-semibold text-white focus-visible:ring-offset-2",
            focusRing,
          )}
        >
          Confirm
        </button>
      </Form>
    </div>
  );
}
