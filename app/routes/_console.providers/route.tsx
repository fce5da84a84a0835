import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { listProvidersOverview, type ProviderOverview } from "#db/repositories/providers";
import { roleAtLeast } from "#db/repositories/staff";
import { assignProviderToMarket } from "#db/repositories/symbols-market-provider";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { ConnectionStatus } from "~/components/status-pills";
import { useHydrated } from "~/components/use-hydrated";
import { answerFor, invalid, readForm, uuidField } from "~/utils/console-forms.server";
import { plural } from "~/utils/plural";
import { withDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms.server";
import { requireStaff } from "~/utils/permissions.server";
import { cx } from "~/components/classes";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Providers · Symbol Desk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "viewer");
  return withDb(async ({ db }) => ({
    providers: await listProvidersOverview(db),
    canEdit: roleAtLeast(staff.role, "operator"),
  }));
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "operator");
  const form = await readForm(request);
  // Built here, not at module level: uuidField lives in a .server module the browser never loads.
  const parsed = parseForm(z.object({ providerId: uuidField("data provider"), confirm: z.string().optional() }), form);
  if (!parsed.ok) return invalid(parsed.fieldErrors);
  if (parsed.data.confirm !== "yes") {
    // Without JavaScript there was no dialog: ask on the page, with the same count.
    return data({ kind: "confirm" as const, providerId: parsed.data.providerId }, { status: 400 });
  }
  try {
    const { changed } = await withDb(({ db }) =>
      assignProviderToMarket(db, { staffId: staff.id, providerId: parsed.data.providerId }),
    );
    if (form.get("nojs") === "1") throw redirect("/providers");
    return { kind: "saved" as const, changed };
  } catch (error) {
    const answer = answerFor(error, "providerId");
    if (answer) return answer;
    throw error;
  }
}

const count = new Intl.NumberFormat("en-US");

function AssignToMarket({ provider }: { provider: ProviderOverview }) {
  const fetcher = useFetcher<typeof action>({ key: `assign-${provider.id}` });
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const response = fetcher.state === "idle" ? fetcher.data : undefined;
  const label = `Assign ${provider.code} to all ${provider.market_code} symbols`;
  const marketCount = count.format(provider.marketSymbolCount);
  if (!provider.is_active) return <span className="text-xs text-slate-500">Switched off</span>;
  return (
    <fetcher.Form
      method="post"
      onSubmit={(e) => {
        if (hydrated) {
          e.preventDefault();
          setOpen(true);
        }
      }}
    >
      <input type="hidden" name="providerId" value={provider.id} />
      {hydrated ? null : <input type="hidden" name="nojs" value="1" />}
      <Button
        type="submit"
        variant="secondary"
        size="xs"
        disabled={provider.toReassign === 0}
        pending={fetcher.state !== "idle"}
        pendingText="Assigning…"
        srText={`(${label})`}
      >
        {provider.toReassign === 0 ? "Serves all" : `Assign to all ${provider.market_code}`}
      </Button>
      <div aria-live="polite" className="text-xs">
        {response?.kind === "saved" ? (
          <p className="text-emerald-800">{plural(response.changed, "symbol")} moved.</p>
        ) : null}
        {response && response.kind !== "saved" && response.kind !== "confirm" ? (
          <p role="alert" className="text-red-700">
            {response.message}
          </p>
        ) : null}
      </div>
      <ConfirmDialog
        open={open}
        title={`${label}?`}
        confirmLabel={`Move ${plural(provider.toReassign, "symbol")}`}
        onCancel={() => setOpen(false)}
        onConfirm={() => {
          setOpen(false);
          fetcher.submit({ providerId: provider.id, confirm: "yes" }, { method: "post" });
        }}
      >
        <p>
          {count.format(provider.toReassign)} of the {marketCount} {provider.market_code}{" "}
          {provider.marketSymbolCount === 1 ? "symbol is" : "symbols are"} served by another provider or none; all of
          them will be served by {provider.code} ({provider.connection_status}).
        </p>
        <p>Each symbol's change is audited. All of them move, or none does.</p>
      </ConfirmDialog>
    </fetcher.Form>
  );
}

function NoScriptConfirm({ provider }: { provider: ProviderOverview }) {
  return (
    <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-[13px] text-amber-900">
      <p className="font-medium">
        Assign {provider.code} to all {provider.market_code} symbols? {count.format(provider.toReassign)} of{" "}
        {plural(provider.marketSymbolCount, "symbol")} {provider.toReassign === 1 ? "moves" : "move"}; all of them or
        none.
      </p>
      <Form method="post" className="mt-2 flex gap-2">
        <input type="hidden" name="providerId" value={provider.id} />
        <input type="hidden" name="confirm" value="yes" />
        <input type="hidden" name="nojs" value="1" />
        <Button type="submit" size="sm">
          Move {plural(provider.toReassign, "symbol")}
        </Button>
        <Link to="/providers" className="rounded-md border border-amber-300 px-3 py-1 font-medium">
          Cancel
        </Link>
      </Form>
    </div>
  );
}

export default function ProvidersPage() {
  const { providers, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const confirming =
    actionData && actionData.kind === "confirm" ? providers.find((p) => p.id === actionData.providerId) : undefined;
  return (
    <div className="space-y-4">
      <PageHeader
        title="Data providers"
        description={<>Feeds by market, their live connection status and how many symbols each serves.</>}
      />
      {confirming ? <NoScriptConfirm provider={confirming} /> : null}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
        <table className="w-full text-left text-[13px]">
          <caption className="sr-only">Data providers by market</caption>
          <thead className="bg-slate-50">
            <tr className="border-b border-slate-200 text-[11px] tracking-wide text-slate-500 uppercase">
              <th scope="col" className="px-3 py-2 font-medium">
                Provider
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Type
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Connection
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Market
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                WebSocket URL
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Symbols served
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Market symbols
              </th>
              {canEdit ? (
                <th scope="col" className="px-3 py-2 font-medium">
                  Bulk
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {providers.map((p) => (
              <tr key={p.id} className="border-b border-slate-100 align-top last:border-0">
                <th scope="row" className="px-3 py-2">
                  <span className="font-mono font-semibold text-slate-900">{p.code}</span>
                  {p.is_primary ? (
                    <span
                      className={cx(
                        "ml-1.5 rounded bg-indigo-50 px-1 py-0.5 text-[10px] font-semibold",
                        "text-indigo-800 uppercase ring-1 ring-indigo-200 ring-inset",
                      )}
                    >
                      Primary
                    </span>
                  ) : null}
                  <div className="text-xs font-normal text-slate-500">{p.name}</div>
                </th>
                <td className="px-3 py-2 text-xs">{p.provider_type}</td>
                <td className="px-3 py-2">
                  <ConnectionStatus status={p.connection_status} />
                </td>
                <td className="px-3 py-2 text-xs">
                  {p.market_code} <span className="text-slate-500">· {p.market_name}</span>
                </td>
                <td className="px-3 py-2 font-mono text-xs text-slate-600">
                  {p.websocket_url ?? <span className="font-sans text-slate-500">none</span>}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{count.format(p.symbolCount)}</td>
                <td className="px-3 py-2 text-right text-slate-600 tabular-nums">
                  {count.format(p.marketSymbolCount)}
                </td>
                {canEdit ? (
                  <td className="px-3 py-2">
                    <AssignToMarket provider={p} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
