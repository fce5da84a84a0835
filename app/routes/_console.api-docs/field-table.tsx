import type { FieldRow } from "./schema-text";

// One table of fields (a body, a response, a schema): name, type (linked when it is a named
// schema), required, constraints and what it means.

export function FieldTable({ rows, caption }: { rows: FieldRow[]; caption: string }) {
  if (rows.length === 0) return null;
  return (
    <table className="w-full text-left text-[13px]">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-xs text-slate-500">
        <tr>
          <th scope="col" className="w-40 py-1 pr-3 font-medium">
            Field
          </th>
          <th scope="col" className="w-56 py-1 pr-3 font-medium">
            Type
          </th>
          <th scope="col" className="py-1 font-medium">
            Meaning
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 align-top">
        {rows.map((row) => (
          <tr key={row.name}>
            <td className="py-1.5 pr-3">
              <code className="font-mono text-[12px] text-slate-900">{row.name}</code>
              {row.required ? null : <span className="ml-1.5 text-[11px] text-slate-500">optional</span>}
            </td>
            <td className="py-1.5 pr-3 font-mono text-[12px] text-slate-600">
              {row.refName ? (
                <a
                  href={`#schema-${row.refName}`}
                  className="text-indigo-700 underline decoration-indigo-200 hover:decoration-indigo-500"
                >
                  {row.type}
                </a>
              ) : (
                row.type
              )}
              {row.notes ? <span className="block font-sans text-[11px] text-slate-500">{row.notes}</span> : null}
            </td>
            <td className="py-1.5 text-slate-600">{row.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
