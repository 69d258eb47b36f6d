// The subset of Kubeflow Pipelines v2 PipelineSpec (schemaVersion 2.1.0) that we emit and the
// local runner executes. Field names and nesting follow KFP's protobuf JSON exactly, because the
// KFP API server rejects any unknown field; which release has which field is decided by
// compiler/kfpVersions.ts, and the compiler writes a field only for releases that parse it.
import type { ArtifactTypeName } from './artifactTypes.ts';
import type { ParameterType } from './parameterTypes.ts';

export type JsonPrimitive = string | number | boolean;
/** A JSON value as KFP accepts it in metadata and constants: no null, no NaN or Infinity. */
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type ParameterValue = string | number | boolean;

export interface ArtifactTypeSchema {
  schemaTitle: ArtifactTypeName;
  schemaVersion: '0.0.1';
}

export interface ParameterSpec {
  parameterType: ParameterType;
  defaultValue?: ParameterValue;
  isOptional?: boolean;
  description?: string;
  /** The only values allowed (KFP 2.16+ checks them at run creation and in the driver). */
  literals?: ParameterValue[];
}

export interface ArtifactSpec {
  artifactType: ArtifactTypeSchema;
  isOptional?: boolean;
  description?: string;
}

export interface InputsSpec {
  parameters?: Record<string, ParameterSpec>;
  artifacts?: Record<string, ArtifactSpec>;
}

export interface OutputsSpec {
  parameters?: Record<string, { parameterType: ParameterType }>;
  artifacts?: Record<string, ArtifactSpec>;
}

/** `components.comp-<name>`. */
export interface ComponentSpec {
  executorLabel: string;
  inputDefinitions?: InputsSpec;
  outputDefinitions?: OutputsSpec;
}

/**
 * Kubernetes quantities as strings ("500m", "4Gi"), and the same as the deprecated numbers that
 * backends before 2.4 read (cores; memory in decimal GB); one extended resource through `accelerator`.
 */
export interface ResourceSpec {
  cpuLimit?: number;
  memoryLimit?: number;
  cpuRequest?: number;
  memoryRequest?: number;
  resourceCpuLimit?: string;
  resourceMemoryLimit?: string;
  resourceCpuRequest?: string;
  resourceMemoryRequest?: string;
  /**
   * The type is used verbatim as the limit name, e.g. sgx.intel.com/epc. `type` + `count` (an int64,
   * so a JSON string) for backends before 2.4; `resourceType` + `resourceCount` (a quantity) after.
   */
  accelerator?: { type?: string; count?: string; resourceType?: string; resourceCount?: string };
}

export interface ContainerSpec {
  image: string;
  command: string[];
  args?: string[];
  env?: { name: string; value: string }[];
  resources?: ResourceSpec;
}

/** An importer (KFP `dsl.importer`): no container runs; the artifact at the URI becomes the task's output `artifact`. */
export interface ImporterSpec {
  artifactUri: { constant: string } | { runtimeParameter: string };
  typeSchema: ArtifactTypeSchema;
  metadata?: Record<string, JsonValue>;
  reimport?: boolean;
}

/** `deploymentSpec.executors.exec-<name>`. */
export type ExecutorSpec = { container: ContainerSpec; importer?: never } | { importer: ImporterSpec; container?: never };

export type TaskInputParameterSpec =
  | { componentInputParameter: string }
  | { runtimeValue: { constant: ParameterValue } }
  | { taskOutputParameter: { producerTask: string; outputParameterKey: string } };

export type TaskInputArtifactSpec =
  | { taskOutputArtifact: { producerTask: string; outputArtifactKey: string } }
  | { componentInputArtifact: string };

/** `root.dag.tasks.<task>`. */
export interface PipelineTaskSpec {
  taskInfo: { name: string };
  componentRef: { name: string };
  dependentTasks?: string[];
  inputs?: {
    parameters?: Record<string, TaskInputParameterSpec>;
    artifacts?: Record<string, TaskInputArtifactSpec>;
  };
  /** `{enableCache: true}` or `{}` (caching off). */
  cachingOptions?: { enableCache?: boolean };
  retryPolicy?: RetryPolicySpec;
}

/** Durations as protobuf JSON strings ("0s", "3600s"). */
export interface RetryPolicySpec {
  maxRetryCount: number;
  backoffDuration: string;
  backoffFactor: number;
  backoffMaxDuration: string;
}

export interface PipelineSpec {
  pipelineInfo: { name: string; displayName?: string; description?: string };
  schemaVersion: '2.1.0';
  sdkVersion: string;
  deploymentSpec: { executors: Record<string, ExecutorSpec> };
  components: Record<string, ComponentSpec>;
  root: {
    dag: { tasks: Record<string, PipelineTaskSpec> };
    /** Run parameters and run input artifacts (an artifact is bound to tasks as `componentInputArtifact`). */
    inputDefinitions?: InputsSpec;
  };
  defaultPipelineRoot?: string;
}

/** The second YAML document: KFP's Kubernetes platform config, per executor. */
export interface PlatformSpec {
  platforms: { kubernetes: { deploymentSpec: { executors: Record<string, KubernetesExecutorConfig> } } };
}

export interface TolerationSpec {
  key?: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** int64 as a string. */
  tolerationSeconds?: string;
}

export interface KubernetesExecutorConfig {
  nodeSelector?: { labels: Record<string, string> };
  tolerations?: TolerationSpec[];
  podMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  secretAsEnv?: { secretName: string; keyToEnv: { secretKey: string; envVar: string }[]; optional?: boolean }[];
  /** A secret's keys as files under mountPath (the volume is named after the secret). */
  secretAsVolume?: { secretName: string; mountPath: string }[];
  /** A config map's keys as files under mountPath (KFP 2.1+; the volume is named after the config map). */
  configMapAsVolume?: { configMapName: string; mountPath: string }[];
  imagePullSecret?: { secretName: string }[];
  /** int64 as a string. */
  activeDeadlineSeconds?: string;
}
