// Builds `root.dag.tasks.<task>` from a recorded task: parameter bindings become
// componentInputParameter / runtimeValue.constant, artifact bindings taskOutputArtifact
// (another task's output) or componentInputArtifact (a run input artifact).
import type { ParameterValue, PipelineTaskSpec, TaskInputArtifactSpec, TaskInputParameterSpec } from '../ir/index.ts';
import { isOutputRef, isPipelineInputRef, isPipelineParamRef, type CheckedDeployOptions, type TaskDefinition } from '../dsl/index.ts';
import { componentKey } from './componentSpec.ts';
import { dependenciesOf } from './checkGraph.ts';
import { retryPolicy } from './deployment.ts';

export function buildTaskSpec(task: TaskDefinition, deploy: CheckedDeployOptions = {}): PipelineTaskSpec {
  const parameters: Record<string, TaskInputParameterSpec> = {};
  for (const [key, value] of Object.entries(task.params)) {
    if (value === undefined) continue;
    parameters[key] = isPipelineParamRef(value) ? { componentInputParameter: value.name } : { runtimeValue: { constant: value as ParameterValue } };
  }
  const artifacts: Record<string, TaskInputArtifactSpec> = {};
  for (const [key, ref] of Object.entries(task.inputs)) {
    if (isOutputRef(ref)) artifacts[key] = { taskOutputArtifact: { producerTask: ref.task, outputArtifactKey: ref.output } };
    else if (isPipelineInputRef(ref)) artifacts[key] = { componentInputArtifact: ref.name };
  }
  const spec: PipelineTaskSpec = {
    taskInfo: { name: task.name },
    componentRef: { name: componentKey(task.component.name) },
  };
  const deps = dependenciesOf(task);
  if (deps.length > 0) spec.dependentTasks = deps;
  const hasParams = Object.keys(parameters).length > 0;
  const hasArtifacts = Object.keys(artifacts).length > 0;
  if (hasParams || hasArtifacts) spec.inputs = { ...(hasArtifacts ? { artifacts } : {}), ...(hasParams ? { parameters } : {}) };
  // Deploy options may turn caching off (or on) for a run; the definition's choice is the default.
  spec.cachingOptions = (deploy.caching ?? task.caching) ? { enableCache: true } : {};
  const retry = retryPolicy(deploy);
  if (retry) spec.retryPolicy = retry;
  return spec;
}
