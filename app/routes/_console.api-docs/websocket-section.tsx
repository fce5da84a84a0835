import { FieldTable } from "./field-table";
import { fieldRows, type JsonSchema } from "./schema-text";

// /ws/symbols on /api-docs, from the AsyncAPI document the server serves at /api/asyncapi.json.

export interface MessageView {
  name: string;
  direction: "send" | "receive";
  summary: string;
  payload: JsonSchema;
}

export function WebSocketSection({ messages }: { messages: MessageView[] }) {
  return (
    <div className="space-y-3">
      <p className="text-[13px] text-slate-700">
        Connect to <code className="font-mono">/ws/symbols</code>. JSON text frames both ways; a token goes in the first
        message, never in the URL. Described by the{" "}
        <a href="/api/asyncapi.json" className="text-indigo-700 underline">
          AsyncAPI 3 document
        </a>
        .
      </p>
      {messages.map((m) => (
        <div
          key={m.name}
          id={`ws-${m.name}`}
          className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-xs"
        >
          <h3 className="flex items-center gap-2 text-sm font-semibold text-slate-900">
            <span className="rounded bg-slate-100 px-1.5 py-0.5 text-[11px] font-medium text-slate-700">
              {m.direction === "send" ? "server → client" : "client → server"}
            </span>
            <code className="font-mono">{m.name}</code>
          </h3>
          <p className="mb-2 text-xs text-slate-500">{m.summary}</p>
          <FieldTable caption={`Fields of the ${m.name} message`} rows={fieldRows(m.payload, {})} />
        </div>
      ))}
    </div>
  );
}
