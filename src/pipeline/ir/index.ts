// Kubeflow Pipelines v2 IR (PipelineSpec) types: the contract between the compiler, the local
// runner and a KFP cluster.
export type * from './types.ts';
export { ARTIFACT_TYPES, ARTIFACT_SCHEMA_VERSION, isArtifactTypeName, artifactTypesCompatible, type ArtifactTypeName } from './artifactTypes.ts';
export {
  PARAMETER_TYPES,
  KFP_PARAMETER_TYPES,
  type KfpParameterType,
  matchesParameterType,
  parameterTypesCompatible,
  describeParameterType,
  describeValue,
  type ParameterType,
} from './parameterTypes.ts';
export { validatePipelineIr } from './validateIr.ts';
export { describeWithConstraint, constraintOf, constraintProblem, type ParameterConstraint } from './parameterConstraints.ts';
