// Deploy options -> the IR's deployment fields: container resources (first document), task
// retry and caching policies, and KFP's Kubernetes platform config (second document). KFP
// attaches platform config and resources to an executor, and the compiler emits one executor
// per component, so tasks that share a component must share their deploy options.
import { PipelineError } from '../../core/index.ts';
import {
  checkDeployOptions,
  checkResourceBounds,
  legacyCpu,
  legacyMemoryGb,
  mergeDeployOptions,
  parseQuantity,
  quantityToInteger,
  type CheckedDeployOptions,
  type DeployOptions,
  type PipelineDefinition,
} from '../dsl/index.ts';
import type { KubernetesExecutorConfig, PlatformSpec, ResourceSpec, RetryPolicySpec } from '../ir/index.ts';
import { executorKey } from './componentSpec.ts';
import { firstVersionWith, type KfpBackendProfile, type KfpTarget, type PlatformField } from './kfpVersions.ts';
import { checkSealedRuntime, sealedVolumes } from './sealedRuntime.ts';

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
    const merged = mergeDeployOptions(def.deploy, all, own ? checkDeployOptions(`deploy options of task '${t.name}'`, own) : undefined);
    checkResourceBounds(`deploy options of task '${t.name}'`, merged);
    out.set(t.name, merged);
  }
  return out;
}

// Each deploy option that lands in the platform config, and the config field it needs.
const PLATFORM_FIELD_OF: Readonly<Partial<Record<keyof CheckedDeployOptions, PlatformField>>> = {
  nodeSelector: 'nodeSelector',
  tolerations: 'tolerations',
  podLabels: 'podMetadata',
  podAnnotations: 'podMetadata',
  secretsAsEnv: 'secretAsEnv',
  imagePullSecrets: 'imagePullSecret',
  activeDeadlineSeconds: 'activeDeadlineSeconds',
};

/**
 * Refuses, per task, an option the target release would reject at upload or silently ignore, naming
 * the first release that honours it: a pod that lands without its toleration or deadline is worse
 * than a compile error.
 */
export function checkTargetSupports(perTask: Map<string, CheckedDeployOptions>, target: KfpTarget): void {
  const refuse = (task: string, option: string, needs: (p: KfpBackendProfile) => boolean): never => {
    throw new PipelineError('pipeline.kfpVersionUnsupported', { task, option, version: target.version, needs: firstVersionWith(needs) ?? 'a newer release' });
  };
  for (const [task, o] of perTask) {
    for (const [option, field] of Object.entries(PLATFORM_FIELD_OF) as [keyof CheckedDeployOptions, PlatformField][]) {
      const v = o[option];
      const used = v !== undefined && v !== null && (typeof v !== 'object' || Object.keys(v).length > 0);
      if (used && !target.profile.platformFields.has(field)) refuse(task, option, (p) => p.platformFields.has(field));
    }
    if (o.secretsAsEnv?.some((s) => s.optional !== undefined) && !target.profile.optionalSecrets) refuse(task, 'secretsAsEnv.optional', (p) => p.optionalSecrets);
    if ((o.retries ?? 0) > 0 && !target.profile.retries) refuse(task, 'retries', (p) => p.retries);
    if (!target.profile.resourceStrings) checkLegacyMemory(task, o, target);
  }
  if (!target.profile.perTaskPodMetadata) checkSharedPodMetadata(perTask, target);
  checkSealedRuntime(perTask, target);
}

/**
 * Before 2.4 the driver turns the memory number back into a quantity with Go's "%vG"
 * (driver.go@2.3.0 initPodSpecPatch), and %v prints a float64 in exponent form below 1e-4 and from
 * 1e6 on: "6.5536e-05G" is no quantity, and the task fails. Such sizes (under 100 kB, or a petabyte
 * and more) cannot be asked of those releases.
 */
function checkLegacyMemory(task: string, o: CheckedDeployOptions, target: KfpTarget): void {
  for (const option of ['memoryRequest', 'memoryLimit'] as const) {
    const text = o[option];
    if (text === undefined) continue;
    const gb = legacyMemoryGb(parseQuantity(text)!);
    if (gb < 1e-4 || gb >= 1e6) {
      throw new PipelineError('pipeline.badDeployOption', {
        where: `deploy options of task '${task}'`,
        field: option,
        reason: `${text} cannot reach a pod on KFP ${target.version}: its driver writes it back in gigabytes with Go's %vG, an exponent form at this size that Kubernetes cannot parse (give 100k to 999T, or --kfp-version 2.4 or later)`,
      });
    }
  }
}

/** Before 2.14 all container tasks share one pod template, hence one set of pod labels and annotations. */
function checkSharedPodMetadata(perTask: Map<string, CheckedDeployOptions>, target: KfpTarget): void {
  const metadataOf = (o: CheckedDeployOptions) => stableJson({ labels: o.podLabels ?? {}, annotations: o.podAnnotations ?? {} });
  const [first, ...rest] = [...perTask];
  for (const [task, o] of rest) {
    if (metadataOf(o) !== metadataOf(first[1])) {
      throw new PipelineError('pipeline.kfpVersionUnsupported', { task, option: 'podLabels/podAnnotations differing from other tasks', version: target.version, needs: firstVersionWith((p) => p.perTaskPodMetadata) ?? 'a newer release' });
    }
  }
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

/**
 * Container resources as the KFP Python SDK writes them (sdk/python/kfp/compiler/pipeline_spec_builder.py@HEAD,
 * _build_container_spec): the deprecated numbers, which every 2.x driver reads, and — for releases
 * whose protos have them — the quantity strings, which 2.4+ drivers prefer. Both describe one value.
 */
export function resourceSpec(o: CheckedDeployOptions, profile: KfpBackendProfile): ResourceSpec | undefined {
  const q = (text: string) => parseQuantity(text)!;
  const r: ResourceSpec = {
    ...(o.cpuLimit !== undefined ? { cpuLimit: legacyCpu(q(o.cpuLimit)) } : {}),
    ...(o.memoryLimit !== undefined ? { memoryLimit: legacyMemoryGb(q(o.memoryLimit)) } : {}),
    ...(o.cpuRequest !== undefined ? { cpuRequest: legacyCpu(q(o.cpuRequest)) } : {}),
    ...(o.memoryRequest !== undefined ? { memoryRequest: legacyMemoryGb(q(o.memoryRequest)) } : {}),
  };
  if (profile.resourceStrings) {
    if (o.cpuLimit !== undefined) r.resourceCpuLimit = o.cpuLimit;
    if (o.memoryLimit !== undefined) r.resourceMemoryLimit = o.memoryLimit;
    if (o.cpuRequest !== undefined) r.resourceCpuRequest = o.cpuRequest;
    if (o.memoryRequest !== undefined) r.resourceMemoryRequest = o.memoryRequest;
  }
  if (o.epc !== undefined) {
    // The legacy count is an int64 (a JSON string) that drivers before 2.4 parse as a plain quantity:
    // the EPC size in bytes, 64Mi -> "67108864" (driver.go@2.3.0: ParseQuantity(fmt.Sprintf("%v", count))).
    r.accelerator = { type: SGX_EPC_RESOURCE, count: String(quantityToInteger(q(o.epc))) };
    if (profile.resourceStrings) Object.assign(r.accelerator, { resourceType: SGX_EPC_RESOURCE, resourceCount: o.epc });
  }
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
  Object.assign(c, sealedVolumes(o));
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
  // Only compared for equality, so any fixed key order serves: code-unit order, not localeCompare,
  // whose first call loads ICU's collator (~15 ms of every `sealed run`, issue 17).
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}
