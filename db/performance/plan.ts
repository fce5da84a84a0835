// Reads an `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` document into a tree the panel can draw,
// and marks the nodes worth a look. Pure functions: no database, so they are tested on fixtures.

/** A table at least this big should not be read whole by a query meant to answer in ~1 ms. */
export const LARGE_TABLE_ROWS = 10_000;
/** Estimated and actual rows this many times apart: the planner chose on wrong numbers. */
export const MISESTIMATE_FACTOR = 10;

export type PlanBadge = "seq-scan-large" | "misestimate" | "sort-spilled" | "slowest";

export interface PlanNodeView {
  /** Position in the tree, "0", "0.1", "0.1.0": stable across measurements of the same plan shape. */
  path: string;
  nodeType: string;
  relation: string | null;
  alias: string | null;
  index: string | null;
  joinType: string | null;
  estimatedRows: number;
  /** Per loop, as PostgreSQL reports it. */
  actualRows: number;
  loops: number;
  /** Inclusive time of all loops (ms). */
  totalMs: number;
  /** Time spent in this node alone, children excluded (ms). */
  selfMs: number;
  sharedHit: number;
  sharedRead: number;
  tempRead: number;
  tempWritten: number;
  sortMethod: string | null;
  sortSpace: string | null;
  filter: string | null;
  rowsRemovedByFilter: number;
  badges: PlanBadge[];
  children: PlanNodeView[];
}

export interface PlanDocument {
  Plan: RawPlanNode;
  "Planning Time"?: number;
  "Execution Time"?: number;
}

export type RawPlanNode = Record<string, unknown> & { "Node Type": string; Plans?: RawPlanNode[] };

const num = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** node-postgres and PGlite both parse the json column; a driver that returns text is handled too. */
export function parseExplainDocument(value: unknown): PlanDocument {
  const parsed = typeof value === "string" ? JSON.parse(value) : value;
  const document = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!document || typeof document !== "object" || !("Plan" in document)) {
    throw new Error("EXPLAIN returned no plan");
  }
  return document as PlanDocument;
}

function toView(node: RawPlanNode, path: string): PlanNodeView {
  const loops = Math.max(1, num(node["Actual Loops"]));
  const children = (node.Plans ?? []).map((child, i) => toView(child, `${path}.${i}`));
  const totalMs = num(node["Actual Total Time"]) * loops;
  const childrenMs = children.reduce((sum, child) => sum + child.totalMs, 0);
  const sortSpace = str(node["Sort Space Type"]);
  return {
    path,
    nodeType: node["Node Type"],
    relation: str(node["Relation Name"]),
    alias: str(node.Alias),
    index: str(node["Index Name"]),
    joinType: str(node["Join Type"]),
    estimatedRows: num(node["Plan Rows"]),
    actualRows: num(node["Actual Rows"]),
    loops,
    totalMs,
    selfMs: Math.max(0, totalMs - childrenMs),
    sharedHit: num(node["Shared Hit Blocks"]),
    sharedRead: num(node["Shared Read Blocks"]),
    tempRead: num(node["Temp Read Blocks"]),
    tempWritten: num(node["Temp Written Blocks"]),
    sortMethod: str(node["Sort Method"]),
    sortSpace,
    filter:
      str(node.Filter) ??
      str(node["Index Cond"]) ??
      str(node["Hash Cond"]) ??
      str(node["Join Filter"]) ??
      (Array.isArray(node["Sort Key"]) ? `sort key: ${node["Sort Key"].join(", ")}` : null),
    rowsRemovedByFilter: num(node["Rows Removed by Filter"]),
    badges: [],
    children,
  };
}

export function walk(node: PlanNodeView, visit: (node: PlanNodeView) => void): void {
  visit(node);
  for (const child of node.children) walk(child, visit);
}

/** How far apart the estimate and the actual rows are (≥ 1), counting zero as one row. */
export function misestimateFactor(node: Pick<PlanNodeView, "estimatedRows" | "actualRows">): number {
  const estimated = Math.max(1, node.estimatedRows);
  const actual = Math.max(1, node.actualRows);
  return Math.max(estimated, actual) / Math.min(estimated, actual);
}

/**
 * The plan as a tree with badges. `tableRows` gives the size of each relation in the plan
 * (pg_class.reltuples); a relation not in it counts by the rows the scan itself read.
 */
export function analyzePlan(document: PlanDocument, tableRows: Record<string, number> = {}): PlanNodeView {
  const root = toView(document.Plan, "0");
  let slowest: PlanNodeView | null = null;
  walk(root, (node) => {
    const readRows = node.actualRows * node.loops + node.rowsRemovedByFilter;
    const tableSize = node.relation ? Math.max(tableRows[node.relation] ?? 0, readRows) : 0;
    if (node.nodeType.includes("Seq Scan") && tableSize >= LARGE_TABLE_ROWS) node.badges.push("seq-scan-large");
    if (misestimateFactor(node) >= MISESTIMATE_FACTOR) node.badges.push("misestimate");
    if (
      node.sortSpace === "Disk" ||
      /external/i.test(node.sortMethod ?? "") ||
      (node.nodeType === "Sort" && node.tempWritten > 0)
    ) {
      node.badges.push("sort-spilled");
    }
    if (!slowest || node.selfMs > slowest.selfMs) slowest = node;
  });
  if (slowest) (slowest as PlanNodeView).badges.push("slowest");
  return root;
}

/** The relations a plan reads, for looking up their sizes. */
export function planRelations(document: PlanDocument): string[] {
  const names = new Set<string>();
  const visit = (node: RawPlanNode) => {
    if (typeof node["Relation Name"] === "string") names.add(node["Relation Name"]);
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(document.Plan);
  return [...names];
}

/** One line per node, e.g. "Index Scan using ix_… on symbols": how plans are compared and summarised. */
export function nodeSignature(node: Pick<PlanNodeView, "nodeType" | "index" | "relation">): string {
  const index = node.index ? ` using ${node.index}` : "";
  const relation = node.relation ? ` on ${node.relation}` : "";
  return `${node.nodeType}${index}${relation}`;
}

export function flattenPlan(root: PlanNodeView): PlanNodeView[] {
  const nodes: PlanNodeView[] = [];
  walk(root, (node) => nodes.push(node));
  return nodes;
}

/** A plan on one line, outermost node first, e.g. "Limit > Index Scan using ix_… on symbols". */
export const planSummary = (root: PlanNodeView) => flattenPlan(root).map(nodeSignature).join(" > ");
