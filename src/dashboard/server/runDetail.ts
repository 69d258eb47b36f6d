// RunDetail: the summary, every task in pipeline order with its outputs, and the graph's edges.
// Order and edges come from the run's pipeline.json (the compiled IR it ran): tasks in
// dependency order, one edge per artifact or parameter a task takes from another task, and an
// `after` edge for an ordering with no data. Without a readable pipeline.json the tasks keep
// run.json's order (also dependency order) and there are no edges.
import type { ArtifactInfo, GraphEdge, RunDetail, TaskInfo } from '../api/contract.ts';
import type { IndexedRun } from './runIndex.ts';
import { viewOf } from './runLookup.ts';
import { isSealedRun } from './storedArtifacts.ts';
import type { PipelineGraph, StoredTask } from './storedRun.ts';

export function runDetail(run: IndexedRun, graph: PipelineGraph | undefined, hasLog: (task: string) => boolean): RunDetail {
  const names = Object.keys(run.manifest.tasks);
  const order = graph ? graphOrder(graph, names) : names;
  return {
    summary: run.summary,
    tasks: order.map((name) => taskInfo(name, run.manifest.tasks[name], hasLog(name), isSealedRun(run.manifest))),
    edges: graph ? graphEdges(graph, new Set(names)) : [],
    ...(run.manifest.error !== undefined ? { error: run.manifest.error } : {}),
  };
}

/** Kahn's algorithm over dependentTasks, ties in the file's order; tasks on a cycle (which the compiler never emits) come last. */
function graphOrder(graph: PipelineGraph, names: string[]): string[] {
  const deps = new Map(Object.entries(graph.root.dag.tasks).map(([name, spec]) => [name, spec.dependentTasks ?? []]));
  const done = new Set<string>();
  const order: string[] = [];
  for (let progressed = true; progressed; ) {
    progressed = false;
    for (const [name, needs] of deps) {
      if (done.has(name) || !needs.every((d) => done.has(d) || !deps.has(d))) continue;
      done.add(name);
      order.push(name);
      progressed = true;
    }
  }
  const known = new Set(names);
  const fromGraph = order.filter((n) => known.has(n));
  return [...fromGraph, ...names.filter((n) => !done.has(n))];
}

function graphEdges(graph: PipelineGraph, known: Set<string>): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (const [to, spec] of Object.entries(graph.root.dag.tasks)) {
    if (!known.has(to)) continue;
    const linked = new Set<string>();
    const add = (from: string, label: string): void => {
      if (!known.has(from)) return;
      edges.push({ from, to, label });
      linked.add(from);
    };
    for (const [input, binding] of Object.entries(spec.inputs?.artifacts ?? {})) {
      if (binding.taskOutputArtifact) add(binding.taskOutputArtifact.producerTask, `${binding.taskOutputArtifact.outputArtifactKey} -> ${input}`);
    }
    for (const [param, binding] of Object.entries(spec.inputs?.parameters ?? {})) {
      if (binding.taskOutputParameter) add(binding.taskOutputParameter.producerTask, `${binding.taskOutputParameter.outputParameterKey} -> ${param}`);
    }
    for (const dep of spec.dependentTasks ?? []) if (!linked.has(dep)) add(dep, 'after');
  }
  return edges;
}

function taskInfo(name: string, task: StoredTask, hasLog: boolean, sealed: boolean): TaskInfo {
  return {
    name,
    component: task.component,
    state: task.state,
    ...(task.startedAt !== undefined ? { startedAt: task.startedAt } : {}),
    ...(task.finishedAt !== undefined ? { finishedAt: task.finishedAt } : {}),
    ...(task.durationMs !== undefined ? { durationMs: task.durationMs } : {}),
    ...(task.error !== undefined ? { error: task.error } : {}),
    parameters: task.parameters ?? {},
    outputs: Object.entries(task.outputs ?? {}).map(
      ([output, record]): ArtifactInfo => ({
        name: output,
        type: record.type,
        size: record.size,
        sha256: record.sha256,
        view: viewOf(record.path),
        // Large metadata (ROC points) lives in a side file; the metrics route serves it.
        ...(record.metadata !== undefined && record.metadataPath === undefined ? { metadata: record.metadata } : {}),
        ...(sealed ? { sealed: true as const } : {}),
      }),
    ),
    hasLog,
  };
}
