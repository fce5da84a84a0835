import { useEffect } from "react";
import {
  type DefaultsContext,
  defaultQuestion,
  deprecateQuestion,
  type EditableSymbol,
  errorText,
  type ProviderOption,
  useEdit,
} from "~/components/symbol-edit-controls";
import { cx } from "~/components/classes";
import { additionConsequence, removalConsequence } from "~/utils/default-consequences";
import { useAsk } from "./confirm";

// The inline editors of a /symbols row, drawn light: they post to /symbols/:id with the fields
// its forms send (the intent is the button's name and value), carry no classes of their own (the
// table body styles every row's controls at once, see rowStyles), ask through the page's one
// dialog, and have one status region each for both the short "saved" and an error.
// Without JavaScript a row has one plain form, the priority's, which Deprecate also submits (its
// `form` attribute); the provider picker and the switches appear once the page has hydrated, in
// place of their value as text (the ticker links to the symbol's page, which changes them
// without JavaScript), and hold the room the text held, so nothing moves.

const focus = "[&_:is(a,button,input,select):focus-visible]";
/** Set once on the table body: every row's cells and controls. */
export const rowStyles = cx(
  "*:border-b *:border-slate-100 *:align-top *:last:border-0 *:hover:bg-slate-50/60",
  "[&_td]:px-2 [&_td]:py-1.5 [&_td]:text-xs [&_td]:text-slate-600 [&_td[title]]:max-w-48 [&_td[title]]:truncate",
  "[&_td[title]]:text-[13px] [&_td[title]]:text-slate-700",
  "[&_th]:px-2 [&_th]:py-1.5 [&_th]:font-mono [&_th]:font-semibold [&_th]:whitespace-nowrap",
  "[&_form]:flex [&_form]:items-center [&_form]:gap-1",
  // The status pill: Active, or Deprecated (data-deprecated).
  "[&_td>div>span:first-child]:rounded [&_td>div>span:first-child]:px-1.5 [&_td>div>span:first-child]:py-0.5",
  "[&_td>div>span:first-child]:text-[11px] [&_td>div>span:first-child]:font-medium",
  "[&_td>div>span:first-child]:ring-1 [&_td>div>span:first-child]:ring-inset",
  "[&_td>div>span:first-child]:bg-emerald-50 [&_td>div>span:first-child]:text-emerald-800",
  "[&_td>div>span:first-child]:ring-emerald-200",
  "[&_td>div>span:first-child[data-deprecated]]:bg-slate-100",
  "[&_td>div>span:first-child[data-deprecated]]:text-slate-700",
  "[&_td>div>span:first-child[data-deprecated]]:ring-slate-300",
  "[&_:is(a,button,input,select)]:focus:outline-none",
  `${focus}:ring-2 ${focus}:ring-indigo-500`,
  "[&_a]:rounded-sm [&_a]:text-indigo-700 [&_a]:hover:underline [&_time]:whitespace-nowrap [&_time]:tabular-nums",
  "[&_td>div]:flex [&_td>div]:flex-col [&_td>div]:items-start [&_td>div]:gap-1",
  "[&_input[type=checkbox]]:size-3.5 [&_input[type=checkbox]]:accent-indigo-600",
  "[&_:is(input[type=number],select,button:not([role]))]:rounded [&_:is(input[type=number],select,button:not([role]))]:border",
  "[&_:is(input[type=number],select)]:border-slate-300 [&_input[type=number][aria-invalid]]:border-red-400",
  "[&_input[type=number]]:w-16 [&_input[type=number]]:px-1.5 [&_input[type=number]]:py-0.5",
  "[&_input[type=number]]:text-right [&_input[type=number]]:text-[13px] [&_input[type=number]]:text-slate-900",
  "[&_input[type=number]]:tabular-nums",
  "[&_select]:w-32 [&_select]:bg-white [&_select]:py-0.5 [&_select]:pr-6 [&_select]:pl-1.5 [&_select]:text-xs",
  "[&_button:not([role])]:border-slate-300 [&_button:not([role])]:bg-white [&_button:not([role])]:px-2",
  "[&_button:not([role])]:py-0.5 [&_button:not([role])]:text-xs [&_button:not([role])]:font-medium",
  "[&_button:not([role])]:hover:bg-slate-50 [&_button:not([role])]:disabled:opacity-50",
  "[&_[role=switch]]:relative [&_[role=switch]]:inline-flex [&_[role=switch]]:h-4.5 [&_[role=switch]]:w-8",
  "[&_[role=switch]]:shrink-0 [&_[role=switch]]:items-center [&_[role=switch]]:rounded-full",
  "[&_[role=switch]]:bg-slate-300 [&_[role=switch]]:transition-colors [&_[role=switch]]:focus-visible:ring-offset-1",
  "[&_[role=switch]]:disabled:cursor-not-allowed [&_[role=switch]]:disabled:opacity-40",
  "[&_[role=switch][aria-checked=true]]:bg-indigo-600",
  "[&_[role=switch]>span]:inline-block [&_[role=switch]>span]:size-3.5 [&_[role=switch]>span]:translate-x-0.5",
  "[&_[role=switch]>span]:rounded-full [&_[role=switch]>span]:bg-white [&_[role=switch]>span]:shadow",
  "[&_[role=switch]>span]:transition-transform [&_[role=switch][aria-checked=true]>span]:translate-x-4",
  "[&_[role=status]]:text-xs [&_[role=status]]:font-medium [&_[role=status]]:text-emerald-800",
  "[&_[role=status][id]]:text-red-700",
);

interface RowControl {
  symbol: EditableSymbol;
  /** Where a no-JavaScript submit returns to (this page). */
  redirectTo: string;
  hydrated: boolean;
}

const editUrl = (symbol: EditableSymbol) => `/symbols/${symbol.id}`;

/** The version the change is based on; the way back only without JavaScript (a fetcher stays). */
function Hidden({ symbol, redirectTo, hydrated }: RowControl) {
  return (
    <>
      <input type="hidden" name="version" value={symbol.version} />
      {hydrated ? null : <input type="hidden" name="redirectTo" value={redirectTo} />}
    </>
  );
}

/**
 * A live region (in the page from the start, so what appears in it is announced): an error, or a
 * short "✓ Saved" that a screen reader hears as `message`. With an error it gets `id`, which the
 * control names as its description.
 */
function Status({ id, error, saved, message }: { id: string; error: string | null; saved: boolean; message: string }) {
  return (
    <span role="status" id={error ? id : undefined}>
      {error ??
        (saved ? (
          <>
            <span aria-hidden="true">✓ Saved</span>
            <span className="sr-only">{message}</span>
          </>
        ) : null)}
    </span>
  );
}

/** `formId`: the row's form before hydration, which Deprecate submits too (with its `value`). */
export function RowPriority({ symbol, redirectTo, hydrated, formId }: RowControl & { formId: string }) {
  const { fetcher, response, saved, pending } = useEdit(symbol, "priority");
  const error = errorText(response, ["priority", "broadcast_priority"]);
  const status = `priority-${symbol.id}`;
  return (
    <fetcher.Form id={hydrated ? undefined : formId} method="post" action={editUrl(symbol)} noValidate>
      <Hidden symbol={symbol} redirectTo={redirectTo} hydrated={hydrated} />
      {hydrated ? null : <input type="hidden" name="value" value={String(!symbol.is_active)} />}
      <input
        key={`${symbol.version}-${symbol.broadcast_priority}`}
        aria-label={`Broadcast priority of ${symbol.ticker}`}
        name="priority"
        type="number"
        min={0}
        max={100}
        defaultValue={symbol.broadcast_priority}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? status : undefined}
      />
      <button name="intent" value="priority" disabled={pending} className="text-slate-700">
        {pending ? "Saving…" : "Save"}
        <span className="sr-only">{` priority of ${symbol.ticker}`}</span>
      </button>
      <Status id={status} error={error} saved={saved} message={`Priority of ${symbol.ticker} saved.`} />
    </fetcher.Form>
  );
}

/** Deprecate or Reactivate: before hydration a button of the row's form (`formId`), then a fetcher's. */
export function RowActive({
  symbol,
  hydrated,
  defaults,
  formId,
}: RowControl & { defaults: DefaultsContext; formId: string }) {
  const { fetcher, response, pending } = useEdit(symbol, "active");
  const ask = useAsk();
  const error = errorText(response, ["is_active", "value"]);
  const deprecate = symbol.is_active;
  const status = `active-${symbol.id}`;
  const submit = () =>
    fetcher.submit(
      { intent: "active", version: String(symbol.version), value: String(!deprecate), confirm: "yes" },
      { method: "post", action: editUrl(symbol) },
    );
  return (
    <>
      <button
        {...(hydrated
          ? {
              type: "button",
              onClick: () =>
                deprecate
                  ? ask({ ...deprecateQuestion(symbol, defaults), tone: "danger", onConfirm: submit })
                  : submit(),
            }
          : { form: formId, name: "intent", value: "active" })}
        disabled={pending}
        aria-describedby={error ? status : undefined}
        className={deprecate ? "text-red-700 hover:border-red-300" : "text-emerald-800"}
      >
        {pending ? (deprecate ? "Deprecating…" : "Reactivating…") : deprecate ? "Deprecate" : "Reactivate"}
        <span className="sr-only">{` ${symbol.ticker}`}</span>
      </button>
      <Status id={status} error={error} saved={false} message="" />
    </>
  );
}

interface SwitchProps {
  symbol: EditableSymbol;
  intent: "default" | "tracked";
  label: string;
  /** For the default switch: a change that fires the default-count trigger is confirmed first. */
  defaults?: DefaultsContext;
}

/** A switch once the page has hydrated (a fetcher posts it); see SwitchLink for before. */
export function RowSwitch({ symbol, intent, label, defaults }: SwitchProps) {
  const { fetcher, response, saved: justSaved } = useEdit(symbol, intent);
  const ask = useAsk();
  const on = intent === "default" ? symbol.is_default_symbol : symbol.is_tracked;
  const submitted = fetcher.formData?.get("value");
  const shown = typeof submitted === "string" ? submitted === "true" : on;
  const blocked = intent === "default" && !symbol.is_active && !on;
  const error = errorText(response, [intent === "default" ? "is_default_symbol" : "is_tracked", "value"]);
  const id = `${intent}-${symbol.id}`;
  const consequence =
    intent === "default" && defaults
      ? on
        ? removalConsequence(defaults.count)
        : additionConsequence(defaults.count)
      : null;
  const submit = (confirm: boolean) =>
    fetcher.submit(
      { intent, version: String(symbol.version), value: String(!on), ...(confirm ? { confirm: "yes" } : {}) },
      { method: "post", action: editUrl(symbol) },
    );
  const confirmFirst = (message: string) =>
    ask({ ...defaultQuestion(symbol.ticker, on, message, null), tone: "danger", onConfirm: () => submit(true) });
  // The server asks too (its count may be newer than the page's): its question opens the dialog.
  useEffect(() => {
    if (response?.kind === "confirm") confirmFirst(response.message);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per answer
  }, [response]);
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        role="switch"
        aria-checked={shown}
        aria-label={`${label}: ${symbol.ticker}`}
        aria-describedby={blocked ? `${id}-why` : error ? id : undefined}
        disabled={blocked}
        onClick={() => (consequence ? confirmFirst(consequence) : submit(false))}
      >
        <span />
      </button>
      {blocked ? (
        <span id={`${id}-why`} className="sr-only">
          Deprecated symbols cannot be default: reactivate first.
        </span>
      ) : null}
      <Status
        id={id}
        error={error}
        saved={justSaved}
        message={`${label} ${on ? "on" : "off"} for ${symbol.ticker}: saved.`}
      />
    </span>
  );
}

export function RowProvider({ symbol, providers }: { symbol: EditableSymbol; providers: ProviderOption[] }) {
  const { fetcher, response, saved, pending } = useEdit(symbol, "provider");
  const error = errorText(response, ["data_provider_id", "providerId"]);
  const status = `provider-${symbol.id}`;
  return (
    <fetcher.Form method="post" action={editUrl(symbol)} className="h-6">
      <input type="hidden" name="version" value={symbol.version} />
      <select
        key={`${symbol.version}-${symbol.data_provider_id}`}
        aria-label={`Data provider of ${symbol.ticker}`}
        name="providerId"
        defaultValue={symbol.data_provider_id ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? status : undefined}
      >
        {symbol.data_provider_id === null ? <option value="">None</option> : null}
        {providers
          .filter((p) => p.market_id === symbol.market_id)
          .map((p) => (
            <option key={p.id} value={p.id} disabled={!p.is_active}>
              {`${p.code} · ${p.connection_status}`}
            </option>
          ))}
      </select>
      <button name="intent" value="provider" disabled={pending} className="text-slate-700">
        {pending ? "Saving…" : "Set"}
        <span className="sr-only">{` provider of ${symbol.ticker}`}</span>
      </button>
      <Status id={status} error={error} saved={saved} message={`Data provider of ${symbol.ticker} saved.`} />
    </fetcher.Form>
  );
}
