import type { SerializeFrom } from "@remix-run/node";
import { useFetcher, useRevalidator } from "@remix-run/react";
import { type ReactNode, useEffect, useState } from "react";
import type { action } from "~/routes/_console.symbols.$id/route";
import {
  ADDED_DEFAULT_PLACE,
  additionConsequence,
  putBackPlace,
  removalConsequence,
} from "~/utils/default-consequences";
import { ConfirmDialog } from "./confirm-dialog";
import { SavedNote, useSavedFlash } from "./saved-note";
import { useHydrated } from "./use-hydrated";
import { cx, focusRing } from "~/components/classes";
import { Button } from "~/components/button";

// The inline editors of one symbol, shared by the /symbols rows and the /symbols/:id page. Each
// is a form posting to /symbols/:id with its intent and the version it saw: a plain POST without
// JavaScript (redirecting back), a fetcher with it (pending and optimistic state; on an error the
// shown value falls back to the server's, and a conflict reloads the page's data).

export interface EditableSymbol {
  id: string;
  ticker: string;
  version: number;
  market_id: string;
  broadcast_priority: number;
  is_default_symbol: boolean;
  is_active: boolean;
  is_tracked: boolean;
  data_provider_id: string | null;
}

export interface ProviderOption {
  id: string;
  code: string;
  market_id: string;
  connection_status: string;
  is_active: boolean;
}

type EditResponse = SerializeFrom<typeof action>;

interface ControlProps {
  symbol: EditableSymbol;
  /** Where a no-JavaScript submit returns to (the page it came from). */
  redirectTo: string;
  compact?: boolean;
}

/** The default set as the page loaded it: confirmations name what a change does to its count. */
export interface DefaultsContext {
  count: number;
  /** This symbol's place in the default list (its page knows it; a table row does not). */
  position?: number | null;
}

/** The keyed fetcher of one symbol's `intent`: its answer, a short "saved" flash, and a reload after a conflict. */
export function useEdit(symbol: EditableSymbol, intent: string) {
  const fetcher = useFetcher<typeof action>({ key: `edit-${symbol.id}-${intent}` });
  const revalidator = useRevalidator();
  const response = fetcher.state === "idle" ? fetcher.data : undefined;
  // A conflict means our copy is stale: fetch the current values so the row shows them.
  useEffect(() => {
    if (response?.kind === "conflict" && revalidator.state === "idle") revalidator.revalidate();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per answer, not per revalidator render
  }, [response]);
  const saved = useSavedFlash(response, response?.kind === "saved");
  return { fetcher, response, saved, pending: fetcher.state !== "idle" };
}

/** The message for this control: its own field's (form name or column), else the form's. */
export function errorText(response: EditResponse | undefined, fields: string[]): string | null {
  if (!response || response.kind === "saved" || response.kind === "confirm") return null;
  if (response.kind === "invalid") {
    const own = fields.map((f) => response.fieldErrors[f]).find(Boolean);
    return own ?? response.fieldErrors.form ?? response.message;
  }
  if (response.kind === "conflict") {
    const current = response.current as Record<string, unknown>;
    const field = fields.find((f) => f in current && f !== "data_provider_id");
    if (!field) return response.message;
    const value = current[field];
    return `${response.message} It is now ${typeof value === "boolean" ? (value ? "on" : "off") : String(value)}.`;
  }
  return response.message;
}

function Hidden({ intent, symbol, redirectTo }: { intent: string; symbol: EditableSymbol; redirectTo: string }) {
  const hydrated = useHydrated();
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="version" value={symbol.version} />
      {hydrated ? null : <input type="hidden" name="redirectTo" value={redirectTo} />}
    </>
  );
}

function FieldError({ id, message }: { id: string; message: string | null }) {
  return (
    <p id={id} aria-live="polite" className={message ? "mt-1 max-w-64 text-xs font-medium text-red-700" : "sr-only"}>
      {message ?? ""}
    </p>
  );
}

export function PriorityEditor({ symbol, redirectTo, compact }: ControlProps) {
  const { fetcher, response, saved, pending } = useEdit(symbol, "priority");
  const error = errorText(response, ["priority", "broadcast_priority"]);
  const id = `priority-${symbol.id}`;
  return (
    <fetcher.Form method="post" action={`/symbols/${symbol.id}`} noValidate>
      <Hidden intent="priority" symbol={symbol} redirectTo={redirectTo} />
      <div className="flex items-center gap-1">
        <label htmlFor={id} className={compact ? "sr-only" : "mr-1 text-[13px] font-medium text-slate-700"}>
          {compact ? `Broadcast priority of ${symbol.ticker}` : "Broadcast priority"}
        </label>
        <input
          key={`${symbol.version}-${symbol.broadcast_priority}`}
          id={id}
          name="priority"
          type="number"
          min={0}
          max={100}
          inputMode="numeric"
          defaultValue={symbol.broadcast_priority}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-error`}
          className={cx(
            "w-16 rounded border px-1.5 py-0.5 text-right text-[13px] tabular-nums",
            focusRing,
            error ? "border-red-400" : "border-slate-300",
          )}
        />
        <SaveButton pending={pending} what={`priority of ${symbol.ticker}`}>
          Save
        </SaveButton>
        <SavedNote shown={saved} message={`Priority of ${symbol.ticker} saved.`} />
      </div>
      <FieldError id={`${id}-error`} message={error} />
    </fetcher.Form>
  );
}

interface SwitchProps extends ControlProps {
  intent: "default" | "tracked";
  label: string;
  /** For the default switch: a change that fires the default-count trigger is confirmed first. */
  defaults?: DefaultsContext;
}

/** What a default switch asks before a change that fires the count trigger (`consequence` says how). */
export function defaultQuestion(
  ticker: string,
  isDefault: boolean,
  consequence: string | null,
  position: number | null,
) {
  return {
    title: isDefault ? `Take ${ticker} off the defaults?` : `Make ${ticker} a default?`,
    confirmLabel: isDefault ? `Take ${ticker} off` : `Make ${ticker} a default`,
    children: (
      <>
        <p>
          {isDefault
            ? `Anonymous users stop seeing ${ticker} among their defaults.`
            : `Anonymous users see ${ticker} among their defaults.`}
        </p>
        <p className="font-medium text-slate-900">{consequence}</p>
        <p>{isDefault ? putBackPlace(position) : ADDED_DEFAULT_PLACE}</p>
      </>
    ) as ReactNode,
  };
}

/** What deprecating asks first: what stops, and what it does to the defaults when it is one. */
export function deprecateQuestion(symbol: EditableSymbol, defaults?: DefaultsContext) {
  return {
    title: `Deprecate ${symbol.ticker}?`,
    confirmLabel: `Deprecate ${symbol.ticker}`,
    children: (
      <>
        <p>It stops being broadcast and users can no longer add it.</p>
        {symbol.is_default_symbol ? (
          <p className="font-medium text-slate-900">
            {symbol.ticker} is a default symbol: deprecating it also removes it from the defaults anonymous users see.{" "}
            {defaults ? removalConsequence(defaults.count) : null}
          </p>
        ) : null}
        <p>You can reactivate it later; it will not become a default again by itself.</p>
      </>
    ) as ReactNode,
  };
}

export function FlagSwitch({ symbol, redirectTo, intent, label, compact, defaults }: SwitchProps) {
  const { fetcher, response, saved: justSaved } = useEdit(symbol, intent);
  const hydrated = useHydrated();
  const [confirming, setConfirming] = useState<string | null>(null);
  const saved = intent === "default" ? symbol.is_default_symbol : symbol.is_tracked;
  const submitted = fetcher.formData?.get("value");
  const shown = typeof submitted === "string" ? submitted === "true" : saved;
  const blocked = intent === "default" && !symbol.is_active && !saved;
  const error = errorText(response, [intent === "default" ? "is_default_symbol" : "is_tracked", "value"]);
  const id = `${intent}-${symbol.id}`;
  const consequence =
    intent === "default" && defaults
      ? saved
        ? removalConsequence(defaults.count)
        : additionConsequence(defaults.count)
      : null;
  // The server asks too (its count may be newer than the page's): its question opens the dialog.
  useEffect(() => {
    if (response?.kind === "confirm") setConfirming(response.message);
  }, [response]);
  const submit = () => {
    setConfirming(null);
    fetcher.submit(
      { intent, version: String(symbol.version), value: String(!saved), confirm: "yes" },
      { method: "post", action: `/symbols/${symbol.id}` },
    );
  };
  return (
    <fetcher.Form method="post" action={`/symbols/${symbol.id}`}>
      <Hidden intent={intent} symbol={symbol} redirectTo={redirectTo} />
      <input type="hidden" name="value" value={String(!saved)} />
      <div className="flex items-center gap-2">
        <button
          type="submit"
          role="switch"
          aria-checked={shown}
          aria-label={`${label}: ${symbol.ticker}`}
          aria-describedby={blocked ? `${id}-why` : error ? `${id}-error` : undefined}
          disabled={blocked}
          onClick={(event) => {
            if (!consequence || !hydrated) return;
            event.preventDefault();
            setConfirming(consequence);
          }}
          className={cx(
            "relative inline-flex h-4.5 w-8 shrink-0 items-center rounded-full",
            "transition-colors focus-visible:ring-offset-1",
            "disabled:cursor-not-allowed disabled:opacity-40",
            focusRing,
            shown ? "bg-indigo-600" : "bg-slate-300",
          )}
        >
          <span
            className={
              `inline-block size-3.5 rounded-full bg-white shadow transition-transform ` +
              `${shown ? "translate-x-4" : "translate-x-0.5"}`
            }
          />
        </button>
        {compact ? null : <span className="text-[13px] text-slate-700">{shown ? "On" : "Off"}</span>}
        {blocked ? (
          <span id={`${id}-why`} className={compact ? "sr-only" : "text-xs text-slate-500"}>
            Deprecated symbols cannot be default: reactivate first.
          </span>
        ) : null}
        <SavedNote
          shown={justSaved}
          message={`${label} ${saved ? "on" : "off"} for ${symbol.ticker}: saved.`}
          visible={compact ? "Saved" : `Saved: ${saved ? "on" : "off"}`}
        />
      </div>
      <FieldError id={`${id}-error`} message={error} />
      {intent === "default" ? (
        <ConfirmDialog
          open={confirming !== null}
          {...defaultQuestion(symbol.ticker, saved, confirming, defaults?.position ?? null)}
          tone="danger"
          onConfirm={submit}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
    </fetcher.Form>
  );
}

export function ActiveToggle({ symbol, redirectTo, compact, defaults }: ControlProps & { defaults?: DefaultsContext }) {
  const { fetcher, response, pending } = useEdit(symbol, "active");
  const [confirming, setConfirming] = useState(false);
  const hydrated = useHydrated();
  const error = errorText(response, ["is_active", "value"]);
  const deprecate = symbol.is_active;
  const submit = () => {
    setConfirming(false);
    fetcher.submit(
      { intent: "active", version: String(symbol.version), value: String(!symbol.is_active), confirm: "yes" },
      { method: "post", action: `/symbols/${symbol.id}` },
    );
  };
  return (
    <fetcher.Form method="post" action={`/symbols/${symbol.id}`}>
      <Hidden intent="active" symbol={symbol} redirectTo={redirectTo} />
      <input type="hidden" name="value" value={String(!symbol.is_active)} />
      <Button
        type="submit"
        variant={deprecate ? "dangerSubtle" : "secondary"}
        size="xs"
        pending={pending}
        pendingText={deprecate ? "Deprecating…" : "Reactivating…"}
        srText={compact ? symbol.ticker : undefined}
        onClick={(event) => {
          if (!deprecate || !hydrated) return;
          event.preventDefault();
          setConfirming(true);
        }}
      >
        {deprecate ? "Deprecate" : "Reactivate"}
      </Button>
      <FieldError id={`active-${symbol.id}-error`} message={error} />
      <ConfirmDialog
        open={confirming}
        {...deprecateQuestion(symbol, defaults)}
        tone="danger"
        onConfirm={submit}
        onCancel={() => setConfirming(false)}
      />
    </fetcher.Form>
  );
}

export function ProviderPicker({
  symbol,
  redirectTo,
  providers,
  compact,
}: ControlProps & { providers: ProviderOption[] }) {
  const { fetcher, response, saved, pending } = useEdit(symbol, "provider");
  const error = errorText(response, ["data_provider_id", "providerId"]);
  const options = providers.filter((p) => p.market_id === symbol.market_id);
  const id = `provider-${symbol.id}`;
  return (
    <fetcher.Form method="post" action={`/symbols/${symbol.id}`}>
      <Hidden intent="provider" symbol={symbol} redirectTo={redirectTo} />
      <div className="flex items-center gap-1">
        <label htmlFor={id} className={compact ? "sr-only" : "mr-1 text-[13px] font-medium text-slate-700"}>
          {compact ? `Data provider of ${symbol.ticker}` : "Data provider"}
        </label>
        <select
          key={`${symbol.version}-${symbol.data_provider_id}`}
          id={id}
          name="providerId"
          defaultValue={symbol.data_provider_id ?? ""}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-error`}
          className={cx("rounded border border-slate-300 bg-white py-0.5 pr-6 pl-1.5 text-xs", focusRing)}
        >
          {symbol.data_provider_id === null ? <option value="">None</option> : null}
          {options.map((p) => (
            <option key={p.id} value={p.id} disabled={!p.is_active}>
              {p.code} · {p.connection_status}
            </option>
          ))}
        </select>
        <SaveButton pending={pending} what={`provider of ${symbol.ticker}`}>
          Set
        </SaveButton>
        <SavedNote shown={saved} message={`Data provider of ${symbol.ticker} saved.`} />
      </div>
      <FieldError id={`${id}-error`} message={error} />
    </fetcher.Form>
  );
}

/** The submit button beside an inline field; a screen reader hears what it saves. */
function SaveButton({ pending, what, children }: { pending: boolean; what: string; children: string }) {
  return (
    <Button type="submit" variant="secondary" size="xs" pending={pending} pendingText="Saving…" srText={what}>
      {children}
    </Button>
  );
}
