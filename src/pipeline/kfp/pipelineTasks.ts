// Which entries of a run's `task_details` are the pipeline's own tasks. The API server fills
// task_details from the Argo workflow's nodes, one per node (backend/src/apiserver/server/
// api_converter.go, toModelTask for util.NodeStatus, at 2.0.5, 2.3.0 and HEAD alike): besides one
// DAG node per pipeline task (display name = the task name) it lists the workflow node, the
// `root-driver` pod, the `root` DAG, a `<task>-driver` pod per task and the task's `executor`
// pod (backend/src/v2/compiler/argocompiler/dag.go and container.go). The KFP UI does not read
// those nodes: RunDetailsV2 draws the tasks of the pipeline spec's DAG
// (frontend/src/pages/RunDetailsV2.tsx), so the spec's root task names decide here too.
import type { KfpRun, KfpTaskDetail } from './apiSchemas.ts';
import { specTaskNames } from './compiledPipelineFile.ts';
import type { KfpClient } from './kfpClient.ts';

const WRAPPER_NAMES = new Set(['root', 'root-driver', 'executor']);

/**
 * The tasks of the pipeline. With the spec's task names, exactly those; without them, every
 * node that is not a driver, the root DAG, an executor pod or the workflow node itself.
 */
export function ownTasks(tasks: readonly KfpTaskDetail[], taskNames?: readonly string[]): KfpTaskDetail[] {
  if (taskNames !== undefined && taskNames.length > 0) {
    const names = new Set(taskNames);
    return tasks.filter((t) => names.has(t.display_name ?? ''));
  }
  const childIds = tasks.flatMap((t) => (t.child_tasks ?? []).map((c) => c.pod_name ?? c.task_id ?? ''));
  if (childIds.length === 0) return [...tasks];
  const workflowNode = workflowNodeName(tasks, childIds);
  return tasks.filter((t) => {
    const name = t.display_name ?? '';
    return !WRAPPER_NAMES.has(name) && !name.endsWith('-driver') && name !== workflowNode;
  });
}

// task_details carry no node id of their own (toApiPipelineTaskDetail leaves pod_name out), but
// Argo names every node `<workflow name>-<number>` and shows the workflow node under the
// workflow name: the longest display name that prefixes every child id is that node.
function workflowNodeName(tasks: readonly KfpTaskDetail[], childIds: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const t of tasks) {
    const name = t.display_name ?? '';
    if (name !== '' && childIds.every((id) => id.startsWith(`${name}-`)) && name.length > (best?.length ?? 0)) best = name;
  }
  return best;
}

/** The task names of the run's pipeline, read from its version's spec; undefined when unknown. */
export async function runTaskNames(client: Pick<KfpClient, 'getPipelineVersion'>, run: KfpRun, signal?: AbortSignal): Promise<string[] | undefined> {
  if (run.pipeline_spec !== undefined) return specTaskNames(run.pipeline_spec);
  const ref = run.pipeline_version_reference;
  if (!ref?.pipeline_id || !ref.pipeline_version_id) return undefined;
  try {
    const version = await client.getPipelineVersion(ref.pipeline_id, ref.pipeline_version_id, signal);
    return version.pipeline_spec === undefined ? undefined : specTaskNames(version.pipeline_spec);
  } catch (e) {
    if (signal?.aborted) throw e;
    // The version may have been deleted since; the node shapes still tell the tasks apart.
    return undefined;
  }
}
