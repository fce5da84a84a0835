import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { protocolMessages } from "~/api/asyncapi.server";
import { ERROR_CODES } from "~/api/errors.server";
import { MAX_BODY_BYTES } from "~/api/input.server";
import { openApiDocument } from "~/api/openapi.server";
import { apiRateLimitSettings } from "#db/security/throttle";
import { requireStaff } from "~/utils/permissions.server";
import { FieldTable } from "./field-table";
import { OperationCard, type OperationView, operationAnchor } from "./operation-card";
import { fieldRows, type JsonSchema } from "./schema-text";
import { type MessageView, WebSocketSection } from "./websocket-section";
import { cx, focusRing } from "~/components/classes";
import { PageHeader } from "~/components/page-header";

export { ConsoleErrorBoundary as ErrorBoundary } from "~/components/error-boundary";

// /api-docs: the symbol API for staff, read from the same OpenAPI document the API serves at
// /api/openapi.json (so this page cannot describe an API that differs from the real one).

export const meta: MetaFunction = () => [{ title: "API · Symbol Desk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "viewer");
  const doc = openApiDocument();
  return {
    info: doc.info as { title: string; version: string; description: string },
    operations: Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ method, path, operation }) satisfies OperationView),
    ),
    components: doc.components.schemas,
    errorCodes: Object.entries(ERROR_CODES),
    rateLimit: apiRateLimitSettings(),
    maxBodyBytes: MAX_BODY_BYTES,
    wsMessages: protocolMessages(),
  };
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default function ApiDocsPage() {
  const {
    info,
    operations: operationData,
    components,
    errorCodes,
    rateLimit,
    maxBodyBytes,
    wsMessages,
  } = useLoaderData<typeof loader>();
  // Plain JSON from the document; the serialized types lose `unknown`, so name them again.
  const operations = operationData as unknown as OperationView[];
  const schemas = components as unknown as Record<string, JsonSchema>;
  return (
    <div className="grid gap-8 lg:grid-cols-[14rem_1fr]">
      <nav aria-label="On this page" className="hidden lg:block">
        <ul className="sticky top-4 space-y-1 text-[13px]">
          <li>
            <a href="#access" className="text-slate-600 hover:text-slate-900">
              Access and limits
            </a>
          </li>
          <li>
            <a href="#errors" className="text-slate-600 hover:text-slate-900">
              Errors
            </a>
          </li>
          {operations.map((op) => (
            <li key={operationAnchor(op)}>
              <a href={`#${operationAnchor(op)}`} className="flex gap-2 text-slate-600 hover:text-slate-900">
                <span className="w-12 shrink-0 font-mono text-[11px] font-semibold text-slate-500 uppercase">
                  {op.method}
                </span>
                <span className="truncate">{op.operation.summary as string}</span>
              </a>
            </li>
          ))}
          <li>
            <a href="#websocket" className="text-slate-600 hover:text-slate-900">
              WebSocket
            </a>
          </li>
          <li>
            <a href="#schemas" className="text-slate-600 hover:text-slate-900">
              Schemas
            </a>
          </li>
        </ul>
      </nav>

      <div className="min-w-0 space-y-8">
        <PageHeader title={info.title} description={<span className="block max-w-2xl">{info.description}</span>}>
          <a
            href="/api/openapi.json"
            className={cx(
              "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-[13px]",
              "font-medium text-slate-700 hover:border-slate-400",
              focusRing,
            )}
          >
            OpenAPI {info.version} document (JSON)
          </a>
        </PageHeader>

        <Section id="access" title="Access and limits">
          <ul className="list-disc space-y-1 pl-5 text-[13px] leading-5 text-slate-700">
            <li>
              <strong>Defaults and search are public.</strong> Defaults carry an ETag: send it back in If-None-Match and
              an unchanged list costs a 304; a change by staff shows on the next request.
            </li>
            <li>
              <strong>A user's list needs that user's token</strong>, sent as{" "}
              <code className="font-mono">Authorization: Bearer sdk_…</code>. Staff issue tokens on the user's page or
              with <code className="font-mono">npm run db -- token create</code>; only a hash is stored, so a lost token
              is revoked and replaced, never recovered. A token used on another user's id gets 403.
            </li>
            <li>Staff signed in to this console may read any user's list through the API, but not change it.</li>
            <li>
              Each token may make {rateLimit.limit} requests per {rateLimit.windowMs / 1000} s; beyond that 429 with
              Retry-After. Bodies are JSON (415 otherwise) of at most {maxBodyBytes / 1024} KiB (413); unknown fields
              are refused (422).
            </li>
            <li>While the database is being migrated or rolled back, endpoints answer 503 with Retry-After.</li>
          </ul>
        </Section>

        <Section id="errors" title="Errors">
          <p className="text-[13px] text-slate-700">
            Every error has the same shape; programs branch on <code className="font-mono">code</code>, people read{" "}
            <code className="font-mono">message</code>, and <code className="font-mono">fields</code> names each bad
            input.
          </p>
          <pre
            data-fixed-palette
            className={cx(
              "overflow-x-auto rounded-md bg-slate-900 px-3 py-2 font-mono",
              "text-[12px] text-slate-100 dark:bg-slate-950",
            )}
          >
            <code>{`{"error": {"code": "validation_failed", "message": "The body does not have the expected fields.",
           "fields": {"isPinned": "Invalid input: expected boolean, received string"}}}`}</code>
          </pre>
          <ul className="grid gap-x-6 gap-y-1 text-[13px] sm:grid-cols-2 xl:grid-cols-3">
            {errorCodes.map(([code, status]) => (
              <li key={code} className="flex gap-3">
                <span className="w-9 font-mono font-semibold text-slate-500">{status}</span>
                <code className="font-mono text-slate-800">{code}</code>
              </li>
            ))}
          </ul>
        </Section>

        <Section id="endpoints" title="Endpoints">
          <div className="space-y-5">
            {operations.map((op) => (
              <OperationCard key={operationAnchor(op)} op={op} components={schemas} />
            ))}
          </div>
        </Section>

        <Section id="websocket" title="WebSocket: live prices">
          <WebSocketSection messages={wsMessages as unknown as MessageView[]} />
        </Section>

        <Section id="schemas" title="Schemas">
          <div className="space-y-4">
            {Object.entries(schemas).map(([name, schema]) => (
              <div
                key={name}
                id={`schema-${name}`}
                className="scroll-mt-4 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-xs"
              >
                <h3 className="font-mono text-sm font-semibold text-slate-900">{name}</h3>
                {typeof schema.description === "string" ? (
                  <p className="mb-2 text-xs text-slate-500">{schema.description}</p>
                ) : null}
                <FieldTable caption={`Fields of ${name}`} rows={fieldRows(schema, schemas)} />
              </div>
            ))}
          </div>
        </Section>
      </div>
    </div>
  );
}
