// Lays the pipeline graph out left to right by dependency depth: a task's column is one more
// than the deepest task it consumes from; tasks in one column are ordered by the mean row of
// their producers (fewer crossings) and centred vertically.
import type { GraphEdge } from '../../../api/contract.ts';

export interface NodePlacement {
  name: string;
  column: number;
  row: number;
}

export interface GraphLayout {
  nodes: Map<string, NodePlacement>;
  columns: number;
  /** Most tasks in one column. */
  rows: number;
  /** One per producer → consumer pair (several outputs between two tasks share a line). */
  links: { from: string; to: string; labels: string[] }[];
}

export function layoutGraph(tasks: string[], edges: GraphEdge[]): GraphLayout {
  const known = new Set(tasks);
  const incoming = new Map<string, string[]>(tasks.map((t) => [t, []]));
  const linkMap = new Map<string, { from: string; to: string; labels: string[] }>();
  for (const e of edges) {
    if (!known.has(e.from) || !known.has(e.to) || e.from === e.to) continue;
    const k = `${e.from}\u0000${e.to}`;
    const link = linkMap.get(k);
    if (link) link.labels.push(e.label);
    else {
      linkMap.set(k, { from: e.from, to: e.to, labels: [e.label] });
      incoming.get(e.to)!.push(e.from);
    }
  }

  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (t: string): number => {
    const known = depth.get(t);
    if (known !== undefined) return known;
    if (visiting.has(t)) return 0; // a cycle (not expected in a DAG): break it
    visiting.add(t);
    const d = Math.max(-1, ...incoming.get(t)!.map(depthOf)) + 1;
    visiting.delete(t);
    depth.set(t, d);
    return d;
  };
  tasks.forEach(depthOf);

  const columns: string[][] = [];
  for (const t of tasks) (columns[depth.get(t)!] ??= []).push(t);
  const nodes = new Map<string, NodePlacement>();
  const rows = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  columns.forEach((column, c) => {
    if (!column) return;
    const key = (t: string) => {
      const producers = incoming.get(t)!.map((p) => nodes.get(p)?.row).filter((r): r is number => r !== undefined);
      return producers.length === 0 ? 0 : producers.reduce((a, b) => a + b, 0) / producers.length;
    };
    const ordered = column.map((t, i) => ({ t, i, k: key(t) })).sort((a, b) => a.k - b.k || a.i - b.i);
    const offset = (rows - ordered.length) / 2;
    ordered.forEach(({ t }, r) => nodes.set(t, { name: t, column: c, row: offset + r }));
  });
  return { nodes, columns: columns.length, rows, links: [...linkMap.values()] };
}
