// What each Kubeflow Pipelines 2.x backend parses and honours, so `sealed compile --kfp-version`
// writes only what that release understands and refuses options it would not apply. How an older
// backend treats a field its protos lack depends on where the field sits:
//   - in the PipelineSpec proper (e.g. ParameterSpec.literals): the upload fails, because the API
//     server parses it with strict protojson (backend/src/apiserver/template/v2_template.go);
//   - in deploymentSpec (a google.protobuf.Struct there): dropped without a word when the run is
//     compiled for Argo (backend/src/v2/compiler/visitor.go@2.0.5 GetDeploymentConfig,
//     AllowUnknownFields: true), so `resourceCpuLimit` on 2.3 simply vanishes;
//   - in a platform-config executor: the task's driver fails ("unknown field"), mid-run.
// None of these is acceptable, so each option is either written in a form the release reads or
// refused at compile time, naming the first release that honours it.
//
// Before 2.5 the backend was built against pinned proto commits (go.mod: kubeflow/pipelines/api and
// kubernetes_platform pseudo-versions); from 2.5 on against the protos in its own tree. Each profile
// names what it was read from. Profiles are ordered; a version uses the newest profile at or below it.

export interface KfpBackendProfile {
  /** First release the profile holds for. */
  readonly since: readonly [major: number, minor: number, patch: number];
  /**
   * ResourceSpec.resource_cpu_limit etc. and AcceleratorConfig.resource_type/resource_count (strings).
   * Without them only the deprecated numbers exist (cpu_limit cores, memory_limit GB, accelerator type/count).
   */
  readonly resourceStrings: boolean;
  /** KubernetesExecutorConfig fields the API server parses and the driver / Argo compiler apply. */
  readonly platformFields: ReadonlySet<PlatformField>;
  /** SecretAsEnv.optional. */
  readonly optionalSecrets: boolean;
  /** PipelineTaskSpec.retry_policy turned into an Argo retryStrategy (the field parses everywhere, but is ignored before 2.5). */
  readonly retries: boolean;
  /** ComponentInputsSpec.ParameterSpec.literals, checked by the API server at run creation and by the driver. */
  readonly literals: boolean;
  /**
   * Pod labels/annotations per task. Before 2.14 every container task shares one Argo template
   * (argocompiler/container.go@2.3.0 addContainerExecutorTemplate returns the first one made) and
   * gets the pod metadata of whichever task made it; a870b1a325 (first in 2.14.0) sets it per task.
   */
  readonly perTaskPodMetadata: boolean;
  /** Where this was read (kubeflow/pipelines, path@commit). */
  readonly source: string;
}

export type PlatformField =
  | 'nodeSelector'
  | 'secretAsEnv'
  | 'secretAsVolume'
  | 'configMapAsVolume'
  | 'tolerations'
  | 'podMetadata'
  | 'imagePullSecret'
  | 'activeDeadlineSeconds';

// secretAsVolume: kubernetes_executor_config.proto@bd9f74e34de6 (go.mod@2.0.5) SecretAsVolume{secret_name, mount_path},
// mounted into the user container by driver.go@2.0.5 extendPodSpecPatch (volume named after the secret).
// configMapAsVolume: first in kubernetes_platform@19a24e3e99db (go.mod@2.1.0) ConfigMapAsVolume, driver.go@2.1.0
// extendPodSpecPatch GetConfigMapAsVolume; the 2.0.5 proto has no such field (the driver would fail "unknown field").
// Container env (PipelineContainerSpec.env, {name, value}) is in every 2.x: pipeline_spec.proto@758c91f76784 and
// driver.go@2.0.5..2.17.0 initPodSpecPatch (userEnvVar from container.GetEnv(), values copied verbatim: no placeholder
// is resolved in them).
const BASIC_PLATFORM: ReadonlySet<PlatformField> = new Set(['nodeSelector', 'secretAsEnv', 'secretAsVolume']);
const FULL_PLATFORM: ReadonlySet<PlatformField> = new Set([...BASIC_PLATFORM, 'configMapAsVolume', 'tolerations', 'podMetadata', 'imagePullSecret', 'activeDeadlineSeconds']);

export const KFP_PROFILES: readonly KfpBackendProfile[] = [
  {
    since: [2, 0, 0],
    resourceStrings: false,
    platformFields: BASIC_PLATFORM,
    optionalSecrets: false,
    retries: false,
    literals: false,
    perTaskPodMetadata: false,
    source:
      'go.mod@2.0.5: api@758c91f76784 (pipeline_spec.proto ResourceSpec: cpu_limit, memory_limit, cpu_request, memory_request, accelerator{type,count}), ' +
      'kubernetes_platform@bd9f74e34de6 (KubernetesExecutorConfig: secret_as_volume, secret_as_env, pvc_mount, node_selector); ' +
      'backend/src/v2/driver/driver.go@2.0.5 initPodSpecPatch (container env, resources), extendPodSpecPatch (secret volumes)',
  },
  {
    since: [2, 1, 0],
    resourceStrings: false,
    platformFields: FULL_PLATFORM,
    optionalSecrets: false,
    retries: false,
    literals: false,
    perTaskPodMetadata: false,
    source:
      'go.mod@2.1.0..2.3.0: api@758c91f76784 / 58ce09e07d03 (numeric resources only), kubernetes_platform@19a24e3e99db..d911c8b73b49 ' +
      '(+ pod_metadata, image_pull_secret, config_map_as_volume, active_deadline_seconds, tolerations); driver.go@2.1.0/@2.3.0 apply them, argocompiler/container.go@2.3.0 pod metadata',
  },
  {
    since: [2, 4, 0],
    resourceStrings: true,
    platformFields: FULL_PLATFORM,
    optionalSecrets: false,
    retries: false,
    literals: false,
    perTaskPodMetadata: false,
    source: 'go.mod@2.4.0: api@873e9dedd766 (resource_cpu_limit ... resource_count strings); driver.go@2.4.0 getPodResource prefers the strings',
  },
  {
    since: [2, 5, 0],
    resourceStrings: true,
    platformFields: FULL_PLATFORM,
    optionalSecrets: false,
    retries: true,
    literals: false,
    perTaskPodMetadata: false,
    source: 'backend/src/v2/compiler/argocompiler/container.go@2.5.0 getTaskRetryStrategy (retry_policy -> Argo retryStrategy); in-tree protos from 2.5.0',
  },
  {
    since: [2, 14, 0],
    resourceStrings: true,
    platformFields: FULL_PLATFORM,
    optionalSecrets: false,
    retries: true,
    literals: false,
    perTaskPodMetadata: true,
    source: 'backend/src/v2/compiler/argocompiler/container.go@2.14.0 (a870b1a325: pod labels and annotations per task, not per shared template)',
  },
  {
    since: [2, 15, 0],
    resourceStrings: true,
    platformFields: FULL_PLATFORM,
    optionalSecrets: true,
    retries: true,
    literals: false,
    perTaskPodMetadata: true,
    source: 'kubernetes_platform/proto/kubernetes_executor_config.proto@2.15.0 SecretAsEnv.optional',
  },
  {
    since: [2, 16, 0],
    resourceStrings: true,
    platformFields: FULL_PLATFORM,
    optionalSecrets: true,
    retries: true,
    literals: true,
    perTaskPodMetadata: true,
    source: 'api/v2alpha1/pipeline_spec.proto@2.16.0 ParameterSpec.literals; backend/src/apiserver/template/v2_template.go@HEAD ValidateLiteralParameter',
  },
];

/** The oldest backend we compile for; the default of `--kfp-version`, so a file runs everywhere unless asked otherwise. */
export const DEFAULT_KFP_VERSION = '2.0.5';

export interface KfpTarget {
  /** The version as given, e.g. "2.5.0". */
  readonly version: string;
  readonly profile: KfpBackendProfile;
}

const VERSION = /^v?(\d{1,3})\.(\d{1,3})(?:\.(\d{1,4}))?$/;

/** The profile for a version text ("2", "2.5", "2.5.0", "v2.16.1"), or a reason it has none. */
export function kfpTarget(text: string): KfpTarget | { problem: string } {
  const m = VERSION.exec(text.trim());
  if (!m) return { problem: 'must be a KFP release such as 2.0.5, 2.3 or 2.16' };
  const v = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] as const;
  if (v[0] !== 2) return { problem: `only Kubeflow Pipelines 2.x runs v2 pipelines (${text} is not 2.x)` };
  let profile: KfpBackendProfile | undefined;
  for (const p of KFP_PROFILES) if (compareVersions(v, p.since) >= 0) profile = p;
  return { version: `${v[0]}.${v[1]}.${v[2]}`, profile: profile! };
}

/**
 * The PipelineSpec's sdkVersion (free text to KFP) records the release a file was compiled for, so
 * `sealed submit` can refuse to send a file to an older cluster that would drop or reject parts of it.
 */
export function sdkVersionFor(sdk: string, target: KfpTarget): string {
  return `${sdk} kfp>=${target.version}`;
}

/** The release a file was compiled for, from its sdkVersion; undefined for files without the mark. */
export function compiledForRelease(sdkVersion: string | undefined): string | undefined {
  return sdkVersion ? /(?:^| )kfp>=(\d{1,3}\.\d{1,3}\.\d{1,4})$/.exec(sdkVersion)?.[1] : undefined;
}

/** -1, 0, 1 for two release texts "2.5.0", "v2.3"; undefined when either is not a release. */
export function compareReleases(a: string, b: string): number | undefined {
  const ta = kfpTarget(a);
  const tb = kfpTarget(b);
  if ('problem' in ta || 'problem' in tb) return undefined;
  const [x, y] = [ta.version.split('.').map(Number), tb.version.split('.').map(Number)];
  return Math.sign(compareVersions(x, y));
}

/** The first release with a capability, for messages ("needs --kfp-version 2.5 or later"). */
export function firstVersionWith(has: (p: KfpBackendProfile) => boolean): string | undefined {
  const p = KFP_PROFILES.find(has);
  return p ? `${p.since[0]}.${p.since[1]}` : undefined;
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
