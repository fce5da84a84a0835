import { FieldTable } from "./field-table";
import { constraints, fieldRows, type JsonSchema, refName, typeLabel } from "./schema-text";
import { cx } from "~/components/classes";

// One endpoint of the API as a card: method and path, what it does, who may call it, its
// parameters, its body, its responses, and a curl line to try it.

export interface OperationView {
  method: string;
  path: string;
  operation: JsonSchema;
}

const METHOD_STYLES: Record<string, string> = {
  get: "bg-sky-100 text-sky-800 ring-sky-200",
  post: "bg-emerald-100 text-emerald-800 ring-emerald-200",
  put: "bg-amber-100 text-amber-900 ring-amber-200",
  delete: "bg-red-100 text-red-800 ring-red-200",
};

const EXAMPLE_BODIES: Record<string, string> = {
  addUserSymbol: '{"symbolId": "\'"$SYMBOL_ID"\'", "isPinned": true}',
  updateUserSymbol: '{"displayOrder": 3, "isVisible": true}',
  reorderUserSymbols: '{"symbolIds": ["…", "…"]}',
};

type Parameter = { name: string; in: string; required: boolean; description?: string; schema: JsonSchema };
type ResponseDoc = { description: string; content?: { "application/json"?: { schema: JsonSchema } } };

export const operationAnchor = (op: OperationView) => `op-${op.operation.operationId as string}`;

function curlFor({ method, path, operation }: OperationView): string {
  const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
  const url = path.replace("{userId}", "$USER_ID").replace("{symbolId}", "$SYMBOL_ID");
  const query = path === "/api/symbols/search" ? "?q=btc&limit=5" : "";
  const parts = [`curl -i${method === "get" ? "" : ` -X ${method.toUpperCase()}`} "$DESK${url}${query}"`];
  if (!isPublic) parts.push('-H "Authorization: Bearer $TOKEN"');
  if (operation.requestBody)
    parts.push(`-H "Content-Type: application/json" -d '${EXAMPLE_BODIES[operation.operationId as string] ?? "{}"}'`);
  return parts.join(" \\\n     ");
}

export function OperationCard({ op, components }: { op: OperationView; components: Record<string, JsonSchema> }) {
  const { operation } = op;
  const parameters = (operation.parameters as Parameter[] | undefined) ?? [];
  const body = operation.requestBody as
    { content: { "application/json": { schema: JsonSchema } }; description: string } | undefined;
  const responses = Object.entries(operation.responses as Record<string, ResponseDoc>);
  const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
  const access = isPublic ? "Public" : op.method === "get" ? "User's token, or staff session" : "User's token only";
  const headingId = `${operationAnchor(op)}-title`;
  return (
    <article
      id={operationAnchor(op)}
      aria-labelledby={headingId}
      className="scroll-mt-4 rounded-lg border border-slate-200 bg-white shadow-xs"
    >
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-100 px-4 py-3">
        <span
          className={
            `rounded px-2 py-0.5 font-mono text-xs font-bold uppercase ring-1 ring-inset ` +
            `${METHOD_STYLES[op.method] ?? ""}`
          }
        >
          {op.method}
        </span>
        <code className="font-mono text-sm font-semibold text-slate-900">{op.path}</code>
        <h3 id={headingId} className="text-sm text-slate-600">
          {operation.summary as string}
        </h3>
        <span
          className={
            `ml-auto rounded-full px-2 py-0.5 text-[11px] font-medium ` +
            `${isPublic ? "bg-slate-100 text-slate-600" : "bg-indigo-50 text-indigo-700"}`
          }
        >
          {access}
        </span>
      </header>
      <div className="space-y-4 px-4 py-3">
        <p className="text-[13px] leading-5 text-slate-700">{operation.description as string}</p>

        {parameters.length > 0 ? (
          <div>
            <h4 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Parameters</h4>
            <FieldTable
              caption="Parameters"
              rows={parameters.map((p) => ({
                name: `${p.name} (${p.in})`,
                type: typeLabel(p.schema),
                refName: null,
                required: p.required,
                notes: constraints(p.schema),
                description: p.description ?? "",
              }))}
            />
          </div>
        ) : null}

        {body ? (
          <div>
            <h4 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
              Body: <span className="font-mono normal-case">{refName(body.content["application/json"].schema)}</span>
            </h4>
            <p className="mb-1 text-xs text-slate-500">{body.description}</p>
            <FieldTable caption="Body fields" rows={fieldRows(body.content["application/json"].schema, components)} />
          </div>
        ) : null}

        <div>
          <h4 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Responses</h4>
          <ul className="space-y-0.5 text-[13px]">
            {responses.map(([status, response]) => {
              const schema = refName(response.content?.["application/json"]?.schema);
              return (
                <li key={status} className="flex gap-3">
                  <span
                    className={
                      `w-10 shrink-0 font-mono font-semibold ` +
                      `${status.startsWith("2") || status === "304" ? "text-emerald-700" : "text-slate-500"}`
                    }
                  >
                    {status}
                  </span>
                  <span className="text-slate-700">
                    {response.description}
                    {schema ? (
                      <>
                        {" "}
                        <a
                          href={`#schema-${schema}`}
                          className="font-mono text-[12px] text-indigo-700 underline decoration-indigo-200"
                        >
                          {schema}
                        </a>
                      </>
                    ) : null}
                  </span>
                </li>
              );
            })}
          </ul>
        </div>

        <pre
          data-fixed-palette
          className={cx(
            "overflow-x-auto rounded-md bg-slate-900 px-3 py-2 font-mono",
            "text-[12px] leading-5 text-slate-100 dark:bg-slate-950",
          )}
        >
          <code>{curlFor(op)}</code>
        </pre>
      </div>
    </article>
  );
}
