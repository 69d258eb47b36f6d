// Deploy options -> the IR's deployment fields: container resources (first document), task
// retry and caching policies, and KFP's Kubernetes platform config (second document). KFP
// attaches platform config and resources to an executor, and the compiler emits one executor
// per component, so tasks that share a component must share their deploy options.
import { PipelineError } from '../../core/index.ts';
import { checkDeployOptions, mergeDeployOptions, type CheckedDeployOptions, type DeployOptions, type PipelineDefinition } from '../dsl/index.ts';
import type { KubernetesExecutorConfig, PlatformSpec, ResourceSpec, RetryPolicySpec } from '../ir/index.ts';
import { executorKey } from './componentSpec.ts';

export const SGX_EPC_RESOURCE = 'sgx.intel.com/epc';

export interface DeployLayers {
  /** For every task, over the pipeline's own defaults. */
  deploy?: DeployOptions;
  /** For one task (by task name), over `deploy`. */
  taskDeploy?: Readonly<Record<string, DeployOptions>>;
}

/** Each task's options after layering: pipeline defaults < all tasks < the task. */
export function resolveTaskDeploy(def: PipelineDefinition, layers: DeployLayers): Map<string, CheckedDeployOptions> {
  const all = layers.deploy ? checkDeployOptions('deploy options for all tasks', layers.deploy) : undefined;
  const taskNames = new Set(def.tasks.map((t) => t.name));
  for (const name of Object.keys(layers.taskDeploy ?? {})) {
    if (!taskNames.has(name)) {
      throw new PipelineError('pipeline.badDeployOption', { where: 'deploy options', field: name, reason: `pipeline '${def.name}' has no task '${name}' (tasks: ${[...taskNames].join(', ')})` });
    }
  }
  const out = new Map<string, CheckedDeployOptions>();
  for (const t of def.tasks) {
    const own = layers.taskDeploy?.[t.name];
    out.set(t.name, mergeDeployOptions(def.deploy, all, own ? checkDeployOptions(`deploy options of task '${t.name}'`, own) : undefined));
  }
  return out;
}

/** One set of options per component; tasks of one component must agree. */
export function executorDeploy(def: PipelineDefinition, perTask: Map<string, CheckedDeployOptions>): Map<string, CheckedDeployOptions> {
  const out = new Map<string, CheckedDeployOptions>();
  const firstTask = new Map<string, string>();
  for (const t of def.tasks) {
    const options = perTask.get(t.name) ?? {};
    const seen = out.get(t.component.name);
    if (seen === undefined) {
      out.set(t.component.name, options);
      firstTask.set(t.component.name, t.name);
    } else if (stableJson(seen) !== stableJson(options)) {
      throw new PipelineError('pipeline.deployConflict', { component: t.component.name, tasks: [firstTask.get(t.component.name)!, t.name] });
    }
  }
  return out;
}

export function resourceSpec(o: CheckedDeployOptions): ResourceSpec | undefined {
  const r: ResourceSpec = {
    ...(o.cpuLimit !== undefined ? { resourceCpuLimit: o.cpuLimit } : {}),
    ...(o.memoryLimit !== undefined ? { resourceMemoryLimit: o.memoryLimit } : {}),
    ...(o.cpuRequest !== undefined ? { resourceCpuRequest: o.cpuRequest } : {}),
    ...(o.memoryRequest !== undefined ? { resourceMemoryRequest: o.memoryRequest } : {}),
    ...(o.epc !== undefined ? { accelerator: { resourceType: SGX_EPC_RESOURCE, resourceCount: o.epc } } : {}),
  };
  return Object.keys(r).length > 0 ? r : undefined;
}

export function retryPolicy(o: CheckedDeployOptions): RetryPolicySpec | undefined {
  if (!o.retries) return undefined;
  // Exponential back-off from KFP's own defaults' shape: 0 s first, doubling, capped at 1 h.
  return { maxRetryCount: o.retries, backoffDuration: '0s', backoffFactor: 2, backoffMaxDuration: '3600s' };
}

export function kubernetesConfig(o: CheckedDeployOptions): KubernetesExecutorConfig | undefined {
  const c: KubernetesExecutorConfig = {};
  if (o.nodeSelector && Object.keys(o.nodeSelector).length > 0) c.nodeSelector = { labels: { ...o.nodeSelector } };
  if (o.tolerations && o.tolerations.length > 0) {
    c.tolerations = o.tolerations.map((t) => ({
      ...(t.key !== undefined ? { key: t.key } : {}),
      operator: t.operator,
      ...(t.value !== undefined ? { value: t.value } : {}),
      ...(t.effect !== undefined ? { effect: t.effect } : {}),
      ...(t.tolerationSeconds !== undefined ? { tolerationSeconds: String(t.tolerationSeconds) } : {}),
    }));
  }
  const labels = o.podLabels && Object.keys(o.podLabels).length > 0 ? { labels: { ...o.podLabels } } : {};
  const annotations = o.podAnnotations && Object.keys(o.podAnnotations).length > 0 ? { annotations: { ...o.podAnnotations } } : {};
  if (Object.keys(labels).length + Object.keys(annotations).length > 0) c.podMetadata = { ...labels, ...annotations };
  if (o.secretsAsEnv && o.secretsAsEnv.length > 0) {
    c.secretAsEnv = o.secretsAsEnv.map((s) => ({
      secretName: s.secretName,
      keyToEnv: Object.entries(s.keys).map(([secretKey, envVar]) => ({ secretKey, envVar })),
      ...(s.optional !== undefined ? { optional: s.optional } : {}),
    }));
  }
  if (o.imagePullSecrets && o.imagePullSecrets.length > 0) c.imagePullSecret = o.imagePullSecrets.map((secretName) => ({ secretName }));
  // int64 fields are strings in protobuf JSON.
  if (o.activeDeadlineSeconds !== undefined) c.activeDeadlineSeconds = String(o.activeDeadlineSeconds);
  return Object.keys(c).length > 0 ? c : undefined;
}

export function platformSpec(perComponent: Map<string, CheckedDeployOptions>): PlatformSpec | undefined {
  const executors: Record<string, KubernetesExecutorConfig> = {};
  for (const [component, options] of perComponent) {
    const c = kubernetesConfig(options);
    if (c) executors[executorKey(component)] = c;
  }
  return Object.keys(executors).length > 0 ? { platforms: { kubernetes: { deploymentSpec: { executors } } } } : undefined;
}

function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}
