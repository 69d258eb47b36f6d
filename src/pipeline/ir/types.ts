// The subset of Kubeflow Pipelines v2 PipelineSpec (schemaVersion 2.1.0) that we emit and the
// local runner executes. Field names and nesting follow KFP's protobuf JSON exactly, because the
// KFP API server rejects any unknown field; add a field here only if KFP 2.5 already has it.
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

/** Kubernetes quantities as strings ("500m", "4Gi"); one extended resource through `accelerator`. */
export interface ResourceSpec {
  resourceCpuLimit?: string;
  resourceMemoryLimit?: string;
  resourceCpuRequest?: string;
  resourceMemoryRequest?: string;
  /** `resourceType` is used verbatim as the limit name, e.g. sgx.intel.com/epc. */
  accelerator?: { resourceType: string; resourceCount: string };
}

export interface ContainerSpec {
  image: string;
  command: string[];
  args?: string[];
  env?: { name: string; value: string }[];
  resources?: ResourceSpec;
}

/** `deploymentSpec.executors.exec-<name>`. */
export interface ExecutorSpec {
  container: ContainerSpec;
}

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
  imagePullSecret?: { secretName: string }[];
  /** int64 as a string. */
  activeDeadlineSeconds?: string;
}
