// The run's task graph as SVG: columns by dependency depth, producer → consumer edges with
// arrowheads (edges that would cross a node arc over the row), nodes coloured by state with the
// duration under each. Click or Enter on a node selects its task.
import { useMemo, type KeyboardEvent } from 'react';
import type { GraphEdge, TaskInfo } from '../../../api/contract.ts';
import { elapsedMs, formatDuration } from '../lib/format.ts';
import { layoutGraph } from '../lib/graphLayout.ts';

const NODE_W = 190;
const NODE_H = 50;
const COL_GAP = 40;
const ROW_GAP = 48;
const PAD_X = 16;
const BELOW = 22; // room for the duration line
const ARC_BASE = 22;
const ARC_STEP = 16;

interface PipelineGraphProps {
  tasks: TaskInfo[];
  edges: GraphEdge[];
  selected?: string;
  onSelect: (task: string) => void;
  now: number;
}

interface DrawnEdge {
  key: string;
  d: string;
  from: string;
  to: string;
  labels: string[];
}

export function PipelineGraph({ tasks, edges, selected, onSelect, now }: PipelineGraphProps) {
  const names = useMemo(() => tasks.map((t) => t.name), [tasks]);
  const layout = useMemo(() => layoutGraph(names, edges), [names, edges]);

  const geometry = useMemo(() => {
    const x = (column: number) => PAD_X + column * (NODE_W + COL_GAP);
    const yRow = (row: number) => row * (NODE_H + BELOW + ROW_GAP);
    // Edges between non-adjacent columns in the same row would run through the nodes between
    // them: those arc above the row, higher for longer spans.
    const occupied = new Set([...layout.nodes.values()].map((n) => `${n.column}:${n.row}`));
    let arcTop = 0;
    const arcsFrom = new Map<string, number>();
    const arcsTo = new Map<string, number>();
    const plan = layout.links.map((link) => {
      const a = layout.nodes.get(link.from)!;
      const b = layout.nodes.get(link.to)!;
      let blocked = false;
      if (a.row === b.row)
        for (let c = Math.min(a.column, b.column) + 1; c < Math.max(a.column, b.column); c++) if (occupied.has(`${c}:${a.row}`)) blocked = true;
      const span = Math.abs(b.column - a.column);
      if (blocked) arcTop = Math.max(arcTop, ARC_BASE + ARC_STEP * (span - 1));
      return { link, a, b, blocked, span };
    });
    const top = arcTop + 12;
    // Several arcs leaving or entering one node start at different points along its top edge.
    const sorted = [...plan].filter((p) => p.blocked).sort((p, q) => p.span - q.span);
    const offsets = new Map<string, { out: number; in: number }>();
    for (const p of sorted) {
      const out = arcsFrom.get(p.link.from) ?? 0;
      const inn = arcsTo.get(p.link.to) ?? 0;
      arcsFrom.set(p.link.from, out + 1);
      arcsTo.set(p.link.to, inn + 1);
      offsets.set(`${p.link.from}>${p.link.to}`, { out, in: inn });
    }
    const drawn: DrawnEdge[] = plan.map(({ link, a, b, blocked, span }) => {
      const key = `${link.from}>${link.to}`;
      if (blocked) {
        const o = offsets.get(key)!;
        const x1 = x(a.column) + NODE_W - 24 - o.out * 14;
        const x2 = x(b.column) + 24 + o.in * 14;
        const y = top + yRow(a.row);
        const h = ARC_BASE + ARC_STEP * (span - 1);
        return { key, from: link.from, to: link.to, labels: link.labels, d: `M ${x1} ${y} C ${x1} ${y - h * 1.3}, ${x2} ${y - h * 1.3}, ${x2} ${y - 2}` };
      }
      const x1 = x(a.column) + NODE_W;
      const y1 = top + yRow(a.row) + NODE_H / 2;
      const x2 = x(b.column) - 2;
      const y2 = top + yRow(b.row) + NODE_H / 2;
      const mid = (x1 + x2) / 2;
      return { key, from: link.from, to: link.to, labels: link.labels, d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}` };
    });
    const width = PAD_X * 2 + layout.columns * NODE_W + Math.max(0, layout.columns - 1) * COL_GAP;
    const height = top + layout.rows * (NODE_H + BELOW) + Math.max(0, layout.rows - 1) * ROW_GAP + 4;
    return { x, y: (row: number) => top + yRow(row), drawn, width, height };
  }, [layout]);

  const onKey = (e: KeyboardEvent, task: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(task);
    }
  };

  return (
    <div className="graph-scroll">
      <svg
        className="graph"
        data-testid="graph"
        viewBox={`0 0 ${geometry.width} ${geometry.height}`}
        preserveAspectRatio="xMinYMin meet"
        style={{ maxWidth: geometry.width }}
        role="group"
        aria-label="Pipeline graph"
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="graph__arrow" />
          </marker>
          <marker id="arrow-active" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="graph__arrow graph__arrow--active" />
          </marker>
        </defs>
        <g className="graph__edges">
          {geometry.drawn.map((e) => {
            const active = selected !== undefined && (e.from === selected || e.to === selected);
            return (
              <path
                key={e.key}
                d={e.d}
                className={active ? 'graph__edge is-active' : 'graph__edge'}
                markerEnd={active ? 'url(#arrow-active)' : 'url(#arrow)'}
                data-from={e.from}
                data-to={e.to}
                aria-label={e.labels.join(', ')}
              />
            );
          })}
        </g>
        <g className="graph__nodes">
          {tasks.map((task) => {
            const p = layout.nodes.get(task.name);
            if (!p) return null;
            const nx = geometry.x(p.column);
            const ny = geometry.y(p.row);
            const duration = task.durationMs ?? (task.state === 'running' ? elapsedMs(task.startedAt, undefined, now) : undefined);
            const isSelected = task.name === selected;
            return (
              <g
                key={task.name}
                className={`gnode gnode--${task.state}${isSelected ? ' is-selected' : ''}`}
                data-testid={`graph-node-${task.name}`}
                data-state={task.state}
                transform={`translate(${nx} ${ny})`}
                role="button"
                tabIndex={0}
                aria-pressed={isSelected}
                aria-label={`${task.name}: ${task.state}`}
                onClick={() => onSelect(task.name)}
                onKeyDown={(e) => onKey(e, task.name)}
              >
                <rect className="gnode__box" width={NODE_W} height={NODE_H} rx={10} ry={10} />
                <circle className="gnode__dot" cx={15} cy={NODE_H / 2} r={4.5} />
                <text className="gnode__name" x={27} y={21}>
                  {task.name}
                </text>
                <text className="gnode__state" x={27} y={38}>
                  {task.state}
                </text>
                <text className="gnode__duration" x={NODE_W / 2} y={NODE_H + 16} textAnchor="middle">
                  {task.state === 'pending' || task.state === 'skipped' ? '' : formatDuration(duration)}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
    </div>
  );
}
