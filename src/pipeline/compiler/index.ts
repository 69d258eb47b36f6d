// Compiler: pipeline definition -> KFP v2 PipelineSpec (+ Kubernetes platform config) and the YAML file KFP takes.
export {
  compilePipeline,
  compilePipelineDocuments,
  executorArgs,
  SDK_VERSION,
  DEFAULT_IMAGE,
  DEFAULT_EXECUTOR_COMMAND,
  type CompileOptions,
} from './compilePipeline.ts';
export { toPipelineYaml, type PipelineDocuments } from './pipelineYaml.ts';
export { SGX_EPC_RESOURCE, type DeployLayers } from './deployment.ts';
export { ENCLAVE_COMMAND, ENCLAVE_CLUSTER_NOTE, SEAL_KEYS_MOUNT, SEAL_POLICY_MOUNT, SEAL_POLICY_FILE, SEALED_ENV_NAMES } from './sealedRuntime.ts';
export { KFP_PROFILES, DEFAULT_KFP_VERSION, kfpTarget, firstVersionWith, compiledForRelease, compareReleases, sdkVersionFor, type KfpBackendProfile, type KfpTarget, type PlatformField } from './kfpVersions.ts';
export { importTaskName, importUriParameter, importUriProblem } from './importers.ts';
export { topologicalOrder } from '../graph/topologicalOrder.ts';
