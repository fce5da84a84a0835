import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { listSymbolHistory } from "#db/repositories/audit";
import { countDefaults } from "#db/repositories/defaults";
import { getSymbolDetail, listProvidersOfMarket } from "#db/repositories/symbols-detail";
import { roleAtLeast } from "#db/repositories/staff";
import { ConfirmSection } from "~/components/confirm-section";
import { FormAlert } from "~/components/form";
import { PageHeader } from "~/components/page-header";
import { ActivePill, ConnectionStatus, When, YesNo } from "~/components/status-pills";
import { ActiveToggle, FlagSwitch, PriorityEditor, ProviderPicker } from "~/components/symbol-edit-controls";
import { withDb } from "~/utils/db.server";
import { requireStaff } from "~/utils/permissions.server";
import { required, uuidParam } from "~/utils/preconditions.server";
import { type ConfirmBody, NO_SYMBOL, symbolEditAction } from "./edit.server";
import { SymbolHistory } from "./history";
import { cx, focusRing } from "~/components/classes";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: `${d?.symbol.ticker ?? "Symbol"} · Symbol Desk` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "viewer");
  const id = uuidParam(params.id, NO_SYMBOL);
  return withDb(async ({ db }) => {
    const symbol = required(await getSymbolDetail(db, id), 404, NO_SYMBOL);
    const [providers, history, defaultCount] = await Promise.all([
      listProvidersOfMarket(db, symbol.market_id),
      listSymbolHistory(db, id),
      countDefaults(db),
    ]);
    return { symbol, providers, history, defaultCount, canEdit: roleAtLeast(staff.role, "operator") };
  });
}

export const action = ({ request, params }: ActionFunctionArgs) => symbolEditAction(request, params.id ?? "");

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] items-start gap-3 border-b border-slate-100 py-2 last:border-0">
      <dt className="pt-0.5 text-[13px] font-medium text-slate-500">{label}</dt>
      <dd className="text-[13px] text-slate-900">{children}</dd>
    </div>
  );
}

type Question = Pick<ConfirmBody, "intent" | "value">;
const confirmTitle = (q: Question, ticker: string) =>
  q.intent === "active"
    ? `Deprecate ${ticker}?`
    : q.value
      ? `Make ${ticker} a default?`
      : `Take ${ticker} off the defaults?`;
const confirmLabel = (q: Question, ticker: string) =>
  q.intent === "active" ? `Deprecate ${ticker}` : q.value ? `Make ${ticker} a default` : `Take ${ticker} off`;

export default function SymbolPage() {
  const { symbol, providers, history, defaultCount, canEdit } = useLoaderData<typeof loader>();
  const defaults = { count: defaultCount, position: symbol.defaultPosition };
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const providerOptions = providers.map((p) => ({ ...p, market_id: symbol.market_id }));
  const providerNames = Object.fromEntries(providers.map((p) => [p.id, p.code]));
  const noJsMessage =
    actionData && actionData.kind !== "saved" && actionData.kind !== "confirm" ? actionData.message : null;
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-xs text-slate-500">
        <Link to="/symbols" className={cx("rounded-sm hover:text-slate-800", focusRing)}>
          Symbols
        </Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{symbol.ticker}</span>
      </nav>
      <PageHeader
        title={
          <span className="flex items-center gap-2">
            <span className="font-mono">{symbol.ticker}</span>
            <ActivePill active={symbol.is_active} />
            {symbol.defaultPosition ? (
              <span
                className={cx(
                  "rounded bg-indigo-50 px-1.5 py-0.5 text-[11px] font-medium",
                  "text-indigo-800 ring-1 ring-indigo-200 ring-inset",
                )}
              >
                Default #{symbol.defaultPosition}
              </span>
            ) : null}
          </span>
        }
        description={`${symbol.display} · ${symbol.market_name} · ${symbol.asset_class_name}`}
      >
        <p className="text-xs text-slate-500">
          Held by <strong className="font-semibold text-slate-900 tabular-nums">{symbol.holders}</strong> user
          {symbol.holders === 1 ? "" : "s"} ({symbol.visibleHolders} visible) · version {symbol.version}
        </p>
      </PageHeader>

      {noJsMessage ? <FormAlert message={noJsMessage} /> : null}
      {actionData?.kind === "confirm" ? (
        <ConfirmSection
          title={confirmTitle(actionData, symbol.ticker)}
          message={actionData.message}
          fields={{ intent: actionData.intent, value: String(actionData.value), version: String(symbol.version) }}
          confirmLabel={confirmLabel(actionData, symbol.ticker)}
          cancelTo={here}
        />
      ) : null}

      <div className="grid gap-6 lg:grid-cols-[1fr_1.2fr]">
        <section aria-labelledby="fields-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
          <h2 id="fields-title" className="mb-2 text-sm font-semibold text-slate-900">
            Fields
          </h2>
          <dl>
            <Row label="Name">{symbol.full_name ?? symbol.display}</Row>
            <Row label="Market">
              {symbol.market_code} <span className="text-slate-500">· {symbol.websocket_url ?? "no websocket"}</span>
            </Row>
            <Row label="Asset class">{symbol.asset_class_code}</Row>
            <Row label="Broadcast priority">
              {canEdit ? (
                <PriorityEditor symbol={symbol} redirectTo={here} compact />
              ) : (
                <span className="tabular-nums">{symbol.broadcast_priority}</span>
              )}
            </Row>
            <Row label="Default">
              {canEdit ? (
                <FlagSwitch
                  symbol={symbol}
                  redirectTo={here}
                  intent="default"
                  label="Default symbol"
                  defaults={defaults}
                />
              ) : (
                <YesNo value={symbol.is_default_symbol} />
              )}
            </Row>
            <Row label="Status">
              <div className="flex items-center gap-2">
                <ActivePill active={symbol.is_active} />
                {canEdit ? <ActiveToggle symbol={symbol} redirectTo={here} defaults={defaults} /> : null}
              </div>
            </Row>
            <Row label="Tracked">
              {canEdit ? (
                <FlagSwitch symbol={symbol} redirectTo={here} intent="tracked" label="Tracked" />
              ) : (
                <YesNo value={symbol.is_tracked} />
              )}
            </Row>
            <Row label="Data provider">
              {canEdit ? (
                <ProviderPicker symbol={symbol} redirectTo={here} providers={providerOptions} compact />
              ) : (
                <span>{symbol.provider_code ?? "none"}</span>
              )}
              <div className="mt-1">
                <ConnectionStatus status={symbol.provider_status} />
              </div>
            </Row>
            <Row label="Price">
              {symbol.current_price === null ? (
                <span className="text-slate-500">no price yet</span>
              ) : (
                <>
                  {symbol.current_price}{" "}
                  <span className="text-slate-500">({symbol.price_change_24h ?? "0"}% in 24 h)</span>
                </>
              )}
            </Row>
            <Row label="Last broadcast">
              <When at={symbol.last_broadcast_at} />
            </Row>
            <Row label="Last change">
              <When at={symbol.updated_at} />
            </Row>
            <Row label="Created">
              <When at={symbol.created_at} />
            </Row>
          </dl>
        </section>
        <SymbolHistory history={history} current={symbol} canEdit={canEdit} providerNames={providerNames} />
      </div>
    </div>
  );
}
