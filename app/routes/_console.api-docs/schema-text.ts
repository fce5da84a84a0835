// Reads the OpenAPI document's JSON schemas into words and table rows for people: "string | null",
// "array of DashboardSymbol", "integer, 1–50, default 20".

export type JsonSchema = { [key: string]: unknown };

export interface FieldRow {
  name: string;
  type: string;
  /** The name of a component schema this field refers to, for a link. */
  refName: string | null;
  required: boolean;
  notes: string;
  description: string;
}

export const refName = (schema: JsonSchema | undefined): string | null =>
  typeof schema?.$ref === "string" ? schema.$ref.split("/").at(-1)! : null;

export function typeLabel(schema: JsonSchema | undefined): string {
  if (!schema) return "any";
  const ref = refName(schema);
  if (ref) return ref;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map(typeLabel).join(" | ");
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  return types
    .map((type) => {
      if (type === "array") return `array of ${typeLabel(schema.items as JsonSchema | undefined)}`;
      if (type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
        return `map of ${typeLabel(schema.additionalProperties as JsonSchema)}`;
      }
      if (type === "string" && schema.format === "uuid") return "uuid";
      if (type === "string" && schema.format === "date-time") return "date-time";
      return type ?? "any";
    })
    .join(" | ");
}

function firstRef(schema: JsonSchema): string | null {
  const direct = refName(schema) ?? refName(schema.items as JsonSchema | undefined);
  if (direct) return direct;
  for (const option of (schema.anyOf as JsonSchema[] | undefined) ?? []) {
    const found = refName(option);
    if (found) return found;
  }
  return null;
}

export function constraints(schema: JsonSchema): string {
  const notes: string[] = [];
  if (typeof schema.minimum === "number" && typeof schema.maximum === "number" && schema.maximum < 1e15) {
    notes.push(`${schema.minimum}–${schema.maximum}`);
  } else if (typeof schema.minimum === "number") notes.push(`≥ ${schema.minimum}`);
  if (typeof schema.minLength === "number") notes.push(`${schema.minLength}–${schema.maxLength ?? "∞"} characters`);
  if (typeof schema.maxItems === "number") notes.push(`at most ${schema.maxItems} items`);
  if (typeof schema.pattern === "string" && schema.format === undefined) notes.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  return notes.join(", ");
}

/** The fields of an object schema (following one $ref into the components). */
export function fieldRows(schema: JsonSchema | undefined, components: Record<string, JsonSchema>): FieldRow[] {
  const resolved = refName(schema) ? components[refName(schema)!] : schema;
  const properties = (resolved?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((resolved?.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    type: typeLabel(property),
    refName: firstRef(property),
    required: required.has(name),
    notes: constraints(property),
    description: typeof property.description === "string" ? property.description : "",
  }));
}
