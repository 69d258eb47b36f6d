// The pipeline DSL: components, parameters, artifacts and pipelines. It knows nothing of the
// compiler or the runners; both read the plain data it produces.
export { integerParam, doubleParam, stringParam, booleanParam, isParamSpec } from './params.ts';
export type {
  ParamSpec,
  ParamSpecs,
  ParamValueOf,
  ParamValues,
  IntegerParamSpec,
  DoubleParamSpec,
  StringParamSpec,
  BooleanParamSpec,
  NumberBounds,
} from './params.ts';
export { validateParameter, validateParameters } from './validateParameter.ts';
export { artifactInput, artifactOutput, outputExtension } from './artifacts.ts';
export type { ArtifactInputSpec, ArtifactOutputSpec, ArtifactInputSpecs, ArtifactOutputSpecs } from './artifacts.ts';
export { metadataProblem, type ArtifactMetadata } from './metadata.ts';
export type { RunContext, InputArtifact, OutputArtifact, ProgressUpdate, ScratchFile } from './context.ts';
export { defineComponent, type ComponentConfig, type ComponentDefinition, type AnyComponent } from './component.ts';
export { definePipeline } from './pipeline.ts';
export type {
  PipelineConfig,
  PipelineDefinition,
  PipelineBuilder,
  TaskHandle,
  TaskOptions,
  TaskInputs,
  TaskParams,
  TaskDefinition,
  SummarySource,
  PipelineInputRefs,
} from './pipeline.ts';
export { isOutputRef, isPipelineInputRef, isPipelineParamRef, type OutputRef, type PipelineInputRef, type PipelineParamRef } from './references.ts';
export {
  checkDeployOptions,
  checkDeployConfig,
  checkResourceBounds,
  mergeDeployOptions,
  checkDeployOptionsWithSchema,
  type DeployOptions,
  type CheckedDeployOptions,
  type DeployConfig,
} from './deployOptions.ts';
export { parseQuantity, compareQuantities, isWholeQuantity, quantityToInteger, legacyCpu, legacyMemoryGb, type Quantity } from './quantity.ts';
