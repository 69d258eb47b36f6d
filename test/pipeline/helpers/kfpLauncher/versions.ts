// What changed between the KFP backend tags the emulation models. Every entry names the file
// (path@tag, or proto path@commit) it was read from in the kubeflow/pipelines mirror.
import { protoSchema } from './protoSchemas.ts';
import type { ProtoSchema } from './protojson.ts';

export type KfpVersion = '2.0.5' | '2.3' | '2.5' | 'HEAD';
export const KFP_VERSIONS: readonly KfpVersion[] = ['2.0.5', '2.3', '2.5', 'HEAD'];

export interface VersionProfile {
  version: KfpVersion;
  tag: string;
  /** The pipeline_spec.proto the backend was built with (backend/go.mod@tag: the api pseudo-version, or `replace => ./api` from 2.5). */
  api: ProtoSchema;
  /** The kubernetes_executor_config.proto the driver parses the platform config with (go.mod@tag). */
  kubernetesPlatform: ProtoSchema;
  /**
   * Resource fields initPodSpecPatch reads. 'legacy': only cpuLimit/memoryLimit/cpuRequest/memoryRequest (numbers,
   * formatted "%v" / "%vG") and accelerator.type + count > 0 (backend/src/v2/driver/driver.go@2.0.5 and @2.3.0).
   * 'strings-then-legacy': getPodResource prefers resourceCpuLimit etc., else the legacy number; accelerator
   * resourceType/resourceCount else type/count (backend/src/v2/driver/driver.go@2.5.0, driver.go@HEAD).
   */
  resources: 'legacy' | 'strings-then-legacy';
  /** KubernetesExecutorConfig fields extendPodSpecPatch applies (driver.go@2.0.5, driver.go@2.3.0, driver.go@2.5.0, k8s.go@HEAD; configMapAsVolume from 2.1.0). */
  platformFields: readonly string[];
  /** podMetadata labels/annotations put on the pod by the argo compiler (compiler/argocompiler/container.go@2.3.0+, extendPodMetadata). */
  podMetadata: boolean;
  /**
   * One container executor template for the whole workflow, made when the visitor reaches the first container task
   * (tasks in sorted name order, visitor.go@2.3.0 dfs) and carrying that task's pod metadata for every pod
   * (argocompiler/container.go@2.3.0 addContainerExecutorTemplate; @2.5.0 the same, except that a task with a retry
   * policy gets a template of its own). Per task from a870b1a325 (2.14.0).
   */
  sharedPodTemplate: boolean;
  /** task retryPolicy becomes an Argo retryStrategy (compiler/argocompiler/container.go@2.5.0 getTaskRetryStrategy; absent @2.0.5/@2.3.0). */
  retries: boolean;
  /**
   * provisionOutputs (driver.go): output URI `<root>/<pipeline>/<run>/<task>/<key>` (@2.0.5 generateOutputURI, @2.3.0
   * GenerateOutputURI) vs `<root>/<pipeline>/<run>/<task>/<uuid>/<key>` (@2.5.0 outputURISalt, @HEAD taskRootRemote).
   */
  outputUriSalt: boolean;
  /** `executor-logs` system.Artifact output added when publish_logs == "true" (driver.go@2.5.0 provisionOutputs, commit 464ca3974f; flag default "true" in cmd/driver/main.go@2.5.0). */
  executorLogs: boolean;
  /** Output RuntimeArtifact carries `name: <key>` (driver.go@HEAD provisionOutputs "Required by Pythonic artifacts"); before, no name. */
  outputArtifactName: boolean;
  /** outputs.outputFile: '/tmp/kfp_outputs/output_metadata.json' (component.OutputMetadataFilepath, launcher_v2.go) or, @HEAD, LocalPathForURI(taskRoot)/output_metadata.json. */
  outputFileUnderTaskRoot: boolean;
  /** RecordArtifact adds custom property store_session_info (metadata/client.go@2.3.0+); importer adds it and requires a provider scheme (component/importer_launcher.go@2.3.0+ ParseProviderFromPath). */
  storeSessionInfo: boolean;
}

const base = (version: KfpVersion, tag: string, api: string, k8s: string) => ({ version, tag, api: protoSchema(api), kubernetesPlatform: protoSchema(k8s) });

export const PROFILES: Record<KfpVersion, VersionProfile> = {
  // backend/go.mod@2.0.5: api v0.0.0-20230331215358-758c91f76784, kubernetes_platform v0.0.0-20230404213301-bd9f74e34de6
  '2.0.5': {
    ...base('2.0.5', '2.0.5', 'api@758c91f76784', 'kubernetes_platform@bd9f74e34de6'),
    resources: 'legacy',
    platformFields: ['nodeSelector', 'secretAsVolume', 'secretAsEnv', 'pvcMount'],
    podMetadata: false,
    sharedPodTemplate: false,
    retries: false,
    outputUriSalt: false,
    executorLogs: false,
    outputArtifactName: false,
    outputFileUnderTaskRoot: false,
    storeSessionInfo: false,
  },
  // backend/go.mod@2.3.0: api v0.0.0-20231027040853-58ce09e07d03, kubernetes_platform v0.0.0-20240725205754-d911c8b73b49
  '2.3': {
    ...base('2.3', '2.3.0', 'api@58ce09e07d03', 'kubernetes_platform@d911c8b73b49'),
    resources: 'legacy',
    platformFields: ['nodeSelector', 'tolerations', 'secretAsVolume', 'secretAsEnv', 'configMapAsVolume', 'imagePullSecret', 'fieldPathAsEnv', 'activeDeadlineSeconds', 'pvcMount'],
    podMetadata: true,
    sharedPodTemplate: true,
    retries: false,
    outputUriSalt: false,
    executorLogs: false,
    outputArtifactName: false,
    outputFileUnderTaskRoot: false,
    storeSessionInfo: true,
  },
  // backend/go.mod@2.5.0: replace => ./api, ./kubernetes_platform (in-tree at the tag)
  '2.5': {
    ...base('2.5', '2.5.0', 'api@2.5.0', 'kubernetes_platform@2.5.0'),
    resources: 'strings-then-legacy',
    platformFields: ['nodeSelector', 'tolerations', 'secretAsVolume', 'secretAsEnv', 'configMapAsVolume', 'imagePullSecret', 'fieldPathAsEnv', 'activeDeadlineSeconds', 'pvcMount'],
    podMetadata: true,
    sharedPodTemplate: true,
    retries: true,
    outputUriSalt: true,
    executorLogs: true,
    outputArtifactName: false,
    outputFileUnderTaskRoot: false,
    storeSessionInfo: true,
  },
  HEAD: {
    ...base('HEAD', 'HEAD', 'api@HEAD', 'kubernetes_platform@HEAD'),
    resources: 'strings-then-legacy',
    platformFields: ['nodeSelector', 'tolerations', 'secretAsVolume', 'secretAsEnv', 'configMapAsVolume', 'imagePullSecret', 'fieldPathAsEnv', 'activeDeadlineSeconds', 'pvcMount'],
    podMetadata: true,
    sharedPodTemplate: false,
    retries: true,
    outputUriSalt: true,
    executorLogs: true,
    outputArtifactName: true,
    outputFileUnderTaskRoot: true,
    storeSessionInfo: true,
  },
};
