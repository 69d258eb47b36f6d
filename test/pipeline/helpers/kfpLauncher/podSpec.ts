// The pod a container task gets, per version: initPodSpecPatch (resources) and extendPodSpecPatch (platform config)
// of backend/src/v2/driver/driver.go@2.0.5, driver.go@2.3.0, driver.go@2.5.0, driver.go + k8s.go@HEAD; pod labels and
// annotations from compiler/argocompiler/container.go@2.3.0+ (extendPodMetadata); retryStrategy from
// compiler/argocompiler/container.go@2.5.0+ (getTaskRetryStrategy). The Kubernetes executor config is parsed strictly
// with that version's kubernetes_executor_config.proto by the driver (cmd/driver/main.go@2.0.5: jsonpb.UnmarshalString,
// "failed to unmarshal Kubernetes config"; @HEAD util.UnmarshalString in parseExecConfigJson). Secret and config-map volumes:
// extendPodSpecPatch (driver.go@2.0.5 secret volumes without Optional; driver.go@2.3.0/@2.5.0, k8s.go@HEAD secret and
// config-map volumes named after the secret / config map, Optional false unless set, mounted into the user container).
import { goJsonMarshal, ProtoJsonError, protojsonUnmarshal } from './protojson.ts';
import type { ContainerJson, TaskJson, UploadedPipeline } from './upload.ts';
import { PROFILES, type VersionProfile } from './versions.ts';

type Json = Record<string, unknown>;

export class KfpDriverError extends Error {}

export interface EmulatedPod {
  image: string;
  /** The user command + args the launcher runs after `--` (before placeholder substitution). */
  userCommand: string[];
  env: Json[];
  /** Pod volumes and the user container's mounts of them, as the driver adds them. */
  volumes: Json[];
  volumeMounts: { name: string; mountPath: string }[];
  /** Quantity strings exactly as the driver hands them to k8s resource.ParseQuantity. */
  resources: { limits: Record<string, string>; requests: Record<string, string> };
  nodeSelector?: Record<string, string>;
  tolerations?: Json[];
  imagePullSecrets?: { name: string }[];
  activeDeadlineSeconds?: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  retryStrategy?: { limit: number; backoff: { duration: string; factor: number; maxDuration: string } };
}

/** Go's fmt "%v" of a float64: strconv 'g' with the shortest digits, %e form when exp < -4 || exp >= 6 (strconv/ftoa.go: "if shortest { eprec = 6 }"). */
export function goFloat(v: number): string {
  if (v === 0) return '0';
  const [mant, e] = v.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

/** Kubernetes resource.ParseQuantity grammar; returns the value in base units (cores, bytes, count). Throws like it. */
export function parseQuantity(q: string): number {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(q);
  if (!m) throw new KfpDriverError(`failed to init podSpecPatch: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const bin: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  const dec: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  const s = m[2] ?? '';
  const factor = bin[s] ?? dec[s] ?? 10 ** Number(s.slice(1));
  return Number(m[1]) * factor;
}

/** The driver's strict parse of one executor's Kubernetes config (null when the platform config has none for it). */
export function kubernetesConfigFor(uploaded: UploadedPipeline, executorLabel: string): Json | null {
  const cfg = uploaded.kubernetesExecutors[executorLabel];
  if (!cfg) return null;
  const text = goJsonMarshal(cfg);
  try {
    return protojsonUnmarshal(PROFILES[uploaded.version].kubernetesPlatform, '.kfp_kubernetes.KubernetesExecutorConfig', text) as Json;
  } catch (e) {
    if (e instanceof ProtoJsonError) throw new KfpDriverError(`failed to unmarshal Kubernetes config, error: ${e.message}`);
    throw e;
  }
}

function resources(profile: VersionProfile, r: ContainerJson['resources'] = {}): EmulatedPod['resources'] {
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  const pick = (s: string | undefined, legacy: number | undefined, fmt: (n: number) => string): string | undefined => {
    if (profile.resources === 'strings-then-legacy' && s) return s; // driver.go@2.5.0 getPodResource
    if (legacy) return fmt(legacy); // "%v" / "%vG"
    return undefined;
  };
  const put = (into: Record<string, string>, name: string, q: string | undefined) => {
    if (q === undefined) return;
    parseQuantity(q);
    into[name] = q;
  };
  put(limits, 'memory', pick(r.resourceMemoryLimit, r.memoryLimit, (n) => `${goFloat(n)}G`));
  put(requests, 'memory', pick(r.resourceMemoryRequest, r.memoryRequest, (n) => `${goFloat(n)}G`));
  put(limits, 'cpu', pick(r.resourceCpuLimit, r.cpuLimit, goFloat));
  put(requests, 'cpu', pick(r.resourceCpuRequest, r.cpuRequest, goFloat));
  const a = r.accelerator;
  if (a) {
    const count = Number(a.count ?? 0); // int64: protojson accepts a number or a string
    let type = '';
    let n = '';
    if (profile.resources === 'strings-then-legacy') {
      type = a.resourceType || a.type || '';
      n = a.resourceCount || (count > 0 ? String(count) : '');
    } else if (a.type && count > 0) {
      type = a.type;
      n = String(count);
    }
    if (type && n) put(limits, type, n);
  }
  return { limits, requests };
}

/**
 * The executor label whose pod metadata the task's pod gets. With one shared container template
 * (argocompiler/container.go@2.3.0 addContainerExecutorTemplate returns early once it exists; @2.5.0 likewise
 * unless the task has a retry policy, getTaskRetryPolicySpec), that is the first container task the visitor reaches
 * in sorted task-name order (visitor.go@2.3.0 dfs: sort.Strings(keys)); otherwise the task's own.
 */
function templateOwnerLabel(uploaded: UploadedPipeline, taskName: string): string {
  const profile = PROFILES[uploaded.version];
  const { tasks } = uploaded.spec.root.dag;
  const labelOf = (name: string) => uploaded.spec.components[tasks[name].componentRef.name].executorLabel!;
  const ownTemplate = (name: string) => !profile.sharedPodTemplate || (profile.retries && tasks[name].retryPolicy !== undefined);
  if (ownTemplate(taskName)) return labelOf(taskName);
  const first = Object.keys(tasks)
    .sort()
    .find((name) => uploaded.spec.deploymentSpec.executors[labelOf(name)].container !== undefined && !ownTemplate(name));
  return labelOf(first ?? taskName);
}

export function podSpecFor(uploaded: UploadedPipeline, taskName: string): EmulatedPod {
  const profile = PROFILES[uploaded.version];
  const task: TaskJson = uploaded.spec.root.dag.tasks[taskName];
  const label = uploaded.spec.components[task.componentRef.name].executorLabel!;
  const container = uploaded.spec.deploymentSpec.executors[label].container!;
  const pod: EmulatedPod = {
    image: container.image,
    userCommand: [...(container.command ?? []), ...(container.args ?? [])],
    env: (container.env ?? []).map((e) => ({ name: e.name, value: e.value })),
    volumes: [],
    volumeMounts: [],
    resources: resources(profile, container.resources),
    labels: {},
    annotations: {},
  };
  const k8s = kubernetesConfigFor(uploaded, label);
  if (k8s) {
    const has = (f: string) => profile.platformFields.includes(f) && k8s[f] !== undefined;
    if (has('nodeSelector')) pod.nodeSelector = (k8s.nodeSelector as { labels?: Record<string, string> }).labels;
    // Optional is set (false unless given) from driver.go@2.2.0 on; 2.0.5 leaves it out.
    const optional = (v: unknown) => (uploaded.version === '2.0.5' ? {} : { optional: v === true });
    if (has('secretAsVolume')) {
      for (const v of k8s.secretAsVolume as { secretName: string; mountPath: string; optional?: boolean }[]) {
        pod.volumes.push({ name: v.secretName, secret: { secretName: v.secretName, ...optional(v.optional) } });
        pod.volumeMounts.push({ name: v.secretName, mountPath: v.mountPath });
      }
    }
    if (has('tolerations')) pod.tolerations = (k8s.tolerations as Json[]).map((t) => ({ key: t.key, operator: t.operator, value: t.value, effect: t.effect, ...(t.tolerationSeconds !== undefined ? { tolerationSeconds: Number(t.tolerationSeconds) } : {}) }));
    if (has('secretAsEnv')) {
      for (const s of k8s.secretAsEnv as { secretName: string; keyToEnv?: { secretKey: string; envVar: string }[] }[]) {
        for (const k of s.keyToEnv ?? []) pod.env.push({ name: k.envVar, valueFrom: { secretKeyRef: { name: s.secretName, key: k.secretKey } } });
      }
    }
    if (has('configMapAsVolume')) {
      for (const v of k8s.configMapAsVolume as { configMapName: string; mountPath: string; optional?: boolean }[]) {
        pod.volumes.push({ name: v.configMapName, configMap: { name: v.configMapName, ...optional(v.optional) } });
        pod.volumeMounts.push({ name: v.configMapName, mountPath: v.mountPath });
      }
    }
    if (has('imagePullSecret')) pod.imagePullSecrets = (k8s.imagePullSecret as { secretName: string }[]).map((s) => ({ name: s.secretName }));
    if (has('activeDeadlineSeconds') && Number(k8s.activeDeadlineSeconds) > 0) pod.activeDeadlineSeconds = Number(k8s.activeDeadlineSeconds);
  }
  // Pod metadata comes from the executor of the task whose template the pod uses (versions.ts sharedPodTemplate).
  const meta = kubernetesConfigFor(uploaded, templateOwnerLabel(uploaded, taskName))?.podMetadata as { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined;
  if (profile.podMetadata && meta) {
    Object.assign(pod.labels, meta.labels ?? {});
    Object.assign(pod.annotations, meta.annotations ?? {});
  }
  const retry = task.retryPolicy;
  if (profile.retries && retry) {
    // getTaskRetryStrategy: Duration/MaxDuration as whole seconds strings, Factor as int32.
    const secs = (d: string | undefined) => (d === undefined ? undefined : String(Math.trunc(Number(d.replace(/s$/, '')))));
    pod.retryStrategy = { limit: retry.maxRetryCount ?? 0, backoff: { duration: secs(retry.backoffDuration) ?? '0', factor: Math.trunc(retry.backoffFactor ?? 0), maxDuration: secs(retry.backoffMaxDuration) ?? '' } };
  }
  return pod;
}
