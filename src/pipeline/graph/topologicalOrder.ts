// Dependency order of named items (tasks), shared by the compiler and the local runner.
import { PipelineError } from '../../core/index.ts';

/** Kahn's algorithm in definition order; on a cycle, names one cycle in the error. */
export function topologicalOrder<T extends { name: string }>(items: readonly T[], depsOf: (item: T) => readonly string[]): T[] {
  const remaining = new Map(items.map((t) => [t.name, t]));
  const done = new Set<string>();
  const order: T[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.values()].filter((t) => depsOf(t).every((d) => done.has(d)));
    if (ready.length === 0) throw new PipelineError('pipeline.cycle', { tasks: findCycle(remaining, depsOf) });
    for (const t of ready) {
      remaining.delete(t.name);
      done.add(t.name);
      order.push(t);
    }
  }
  return order;
}

function findCycle<T extends { name: string }>(remaining: Map<string, T>, depsOf: (item: T) => readonly string[]): string[] {
  // Every remaining item has a remaining dependency, so walking dependencies must revisit one.
  const path: string[] = [];
  let current = remaining.keys().next().value as string;
  while (!path.includes(current)) {
    path.push(current);
    current = depsOf(remaining.get(current)!).find((d) => remaining.has(d))!;
  }
  return [...path.slice(path.indexOf(current)), current].reverse();
}
