// Graph checks before emitting anything, each error naming the task and field:
// unknown tasks/outputs/inputs/parameters, artifact type mismatches, missing required inputs,
// bad constants, wrongly typed pipeline parameters, and cycles. Returns a topological order.
import { PipelineError, UsageError, isSealedError } from '../../core/index.ts';
import { artifactTypesCompatible, describeParameterType, describeValue, parameterTypesCompatible, type ArtifactTypeName } from '../ir/index.ts';
import { topologicalOrder } from '../graph/topologicalOrder.ts';
import { isOutputRef, isPipelineInputRef, isPipelineParamRef, validateParameter, type PipelineDefinition, type TaskDefinition } from '../dsl/index.ts';

export function checkGraph(def: PipelineDefinition): TaskDefinition[] {
  const byName = new Map<string, TaskDefinition>();
  for (const task of def.tasks) {
    if (byName.has(task.name)) throw new PipelineError('pipeline.duplicateTask', { pipeline: def.name, task: task.name });
    byName.set(task.name, task);
  }
  const components = new Map<string, TaskDefinition['component']>();
  for (const task of def.tasks) {
    const seen = components.get(task.component.name);
    if (seen && seen !== task.component) throw new PipelineError('pipeline.duplicateComponent', { name: task.component.name });
    components.set(task.component.name, task.component);
    checkInputs(def, task, byName);
    checkParams(def, task);
    for (const ref of task.after) if (!byName.has(ref)) throw new PipelineError('pipeline.unknownTask', { task: task.name, ref });
  }
  return topologicalOrder(def.tasks, (t) => dependenciesOf(t));
}

/** Producer tasks of a task's inputs plus its explicit `after` tasks, sorted, unique. */
export function dependenciesOf(task: TaskDefinition): string[] {
  const deps = new Set(task.after);
  for (const ref of Object.values(task.inputs)) if (isOutputRef(ref)) deps.add(ref.task);
  return [...deps].sort();
}

function checkInputs(def: PipelineDefinition, task: TaskDefinition, byName: Map<string, TaskDefinition>): void {
  const declared = task.component.inputs as Record<string, { type: string; optional: boolean }>;
  for (const [key, ref] of Object.entries(task.inputs)) {
    if (!Object.hasOwn(declared, key)) throw new PipelineError('pipeline.unknownInput', { task: task.name, input: key, known: Object.keys(declared) });
    if (ref === undefined && declared[key].optional) continue;
    if (isPipelineInputRef(ref)) {
      checkRunInput(def, task, key, ref, declared[key]);
      continue;
    }
    if (!isOutputRef(ref)) {
      throw new PipelineError('pipeline.badDefinition', { owner: `task '${task.name}'`, reason: `input '${key}' must be a task output or a pipeline input, got ${describeValue(ref)}` });
    }
    const producer = byName.get(ref.task);
    if (!producer) throw new PipelineError('pipeline.unknownTask', { task: task.name, ref: ref.task });
    const outputs = producer.component.outputs as Record<string, { type: never }>;
    if (!Object.hasOwn(outputs, ref.output)) {
      throw new PipelineError('pipeline.unknownOutput', { task: task.name, input: key, producer: ref.task, output: ref.output, known: Object.keys(outputs) });
    }
    const got = outputs[ref.output].type;
    const expected = declared[key].type as never;
    if (!artifactTypesCompatible(got, expected)) {
      throw new PipelineError('pipeline.artifactTypeMismatch', { task: task.name, input: key, expected, producer: ref.task, output: ref.output, got });
    }
  }
  for (const [key, spec] of Object.entries(declared)) {
    if (!spec.optional && task.inputs[key] === undefined) throw new PipelineError('pipeline.missingInput', { task: task.name, input: key });
  }
}

/** A task input fed by a run input artifact: declared, type-compatible, and optional only into optional. */
function checkRunInput(def: PipelineDefinition, task: TaskDefinition, key: string, ref: { name: string }, declared: { type: string; optional: boolean }): void {
  const inputs: Readonly<Record<string, { type: ArtifactTypeName; optional: boolean }>> = def.inputs ?? {};
  const source = inputs[ref.name];
  const owner = `task '${task.name}'`;
  if (!Object.hasOwn(inputs, ref.name)) {
    throw new PipelineError('pipeline.badDefinition', { owner, reason: `input '${key}' refers to unknown pipeline input '${ref.name}' (pipeline inputs: ${Object.keys(inputs).join(', ') || 'none'})` });
  }
  if (!artifactTypesCompatible(source.type, declared.type as ArtifactTypeName)) {
    throw new PipelineError('pipeline.badDefinition', { owner, reason: `input '${key}' expects ${declared.type} but pipeline input '${ref.name}' is ${source.type}` });
  }
  if (source.optional && !declared.optional) {
    throw new PipelineError('pipeline.badDefinition', { owner, reason: `required input '${key}' cannot take the optional pipeline input '${ref.name}'` });
  }
}

function checkParams(def: PipelineDefinition, task: TaskDefinition): void {
  const owner = `task '${task.name}'`;
  const specs = task.component.parameters as Record<string, Parameters<typeof validateParameter>[2]>;
  for (const [key, value] of Object.entries(task.params)) {
    if (!Object.hasOwn(specs, key)) throw new PipelineError('pipeline.paramUnknown', { owner, param: key, known: Object.keys(specs) });
    const spec = specs[key];
    if (isPipelineParamRef(value)) {
      const source = def.parameters[value.name];
      if (!source) throw new PipelineError('pipeline.paramUnknown', { owner: `pipeline '${def.name}'`, param: value.name, known: Object.keys(def.parameters) });
      if (!parameterTypesCompatible(source.type, spec.type)) {
        throw new PipelineError('pipeline.paramWireType', {
          task: task.name,
          param: key,
          expected: describeParameterType(spec.type),
          source: `pipeline parameter '${value.name}'`,
          got: describeParameterType(source.type),
        });
      }
    } else if (value !== undefined) {
      try {
        validateParameter(owner, key, spec, value);
      } catch (e) {
        // A bad constant is a definition error, not the user's run input.
        if (isSealedError(e) && e instanceof UsageError) throw new PipelineError(e.code, e.args as never);
        throw e;
      }
    }
  }
  for (const [key, spec] of Object.entries(specs)) {
    if (spec.default === undefined && task.params[key] === undefined) throw new PipelineError('pipeline.paramMissing', { owner, param: key });
  }
}
