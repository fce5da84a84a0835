import { flattenPlan, nodeSignature, type PlanBadge, type PlanNodeView } from "./plan.js";

// Two measurements of one query side by side: which plan nodes changed (another scan, another
// index, a node added or gone) and how the figures moved. Nodes are matched by their position in
// the tree, which is what "the same plan" means to a reader comparing two trees.

export type NodeChangeKind = "same" | "changed" | "added" | "removed";

export interface NodeComparison {
  path: string;
  depth: number;
  kind: NodeChangeKind;
  before: string | null;
  after: string | null;
  beforeRows: number | null;
  afterRows: number | null;
  beforeMs: number | null;
  afterMs: number | null;
  /** Badges the newer plan has that the older one did not at this position. */
  newBadges: PlanBadge[];
}

export interface PlanComparison {
  samePlan: boolean;
  nodes: NodeComparison[];
  changedCount: number;
}

const depthOf = (path: string) => path.split(".").length - 1;

/** Sorts "0.10" after "0.9": paths compare number by number. */
function comparePaths(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

export function comparePlans(before: PlanNodeView, after: PlanNodeView): PlanComparison {
  const older = new Map(flattenPlan(before).map((n) => [n.path, n]));
  const newer = new Map(flattenPlan(after).map((n) => [n.path, n]));
  const paths = [...new Set([...older.keys(), ...newer.keys()])].sort(comparePaths);
  const nodes = paths.map((path): NodeComparison => {
    const a = older.get(path) ?? null;
    const b = newer.get(path) ?? null;
    const sa = a ? nodeSignature(a) : null;
    const sb = b ? nodeSignature(b) : null;
    const kind: NodeChangeKind = !a ? "added" : !b ? "removed" : sa === sb ? "same" : "changed";
    return {
      path,
      depth: depthOf(path),
      kind,
      before: sa,
      after: sb,
      beforeRows: a?.actualRows ?? null,
      afterRows: b?.actualRows ?? null,
      beforeMs: a?.selfMs ?? null,
      afterMs: b?.selfMs ?? null,
      newBadges: b ? b.badges.filter((badge) => badge !== "slowest" && !(a?.badges ?? []).includes(badge)) : [],
    };
  });
  const changedCount = nodes.filter((n) => n.kind !== "same").length;
  return { samePlan: changedCount === 0, nodes, changedCount };
}
