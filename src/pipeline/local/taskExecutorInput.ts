// What the KFP driver does for a task, done locally: resolve the task's parameter bindings
// (run parameter, constant, upstream output parameter, else the component's IR default) and
// input artifacts (upstream outputs with their metadata, or run input artifacts; an optional
// one that is absent is left out of the ExecutorInput), and give each output a staging URI.
import { PipelineError } from '../../core/index.ts';
import { ARTIFACT_SCHEMA_VERSION, type ArtifactTypeName, type ParameterValue, type PipelineSpec } from '../ir/index.ts';
import type { ExecutorInput } from '../executor/index.ts';
import type { OutputRecord } from './manifest.ts';
import type { PlannedTask } from './planTasks.ts';

export interface FinishedOutputs {
  artifacts: Record<string, OutputRecord>;
  parameters: Record<string, ParameterValue>;
}

export interface TaskInputContext {
  spec: PipelineSpec;
  runParameters: Record<string, ParameterValue>;
  /** Run input artifacts that were given, by input name. */
  runArtifacts: Readonly<Record<string, OutputRecord>>;
  /** Finished tasks' outputs by task name. */
  finished: ReadonlyMap<string, FinishedOutputs>;
  uriFor(key: string): string;
}

export interface ResolvedTaskInput {
  executorInput: ExecutorInput;
  parameters: Record<string, ParameterValue>;
  /** Input key -> store key of the upstream artifact. */
  inputKeys: Record<string, string>;
  /** Input key -> who must have produced it (task and output key; run inputs: 'inputs' and the input's name). */
  producers: Record<string, { task: string; artifact: string }>;
}

export function resolveTaskInput(task: PlannedTask, ctx: TaskInputContext, outputUris: Record<string, string>): ResolvedTaskInput {
  const definitions = ctx.spec.components[task.spec.componentRef.name].inputDefinitions ?? {};
  const bindings = task.spec.inputs ?? {};
  const parameters: Record<string, ParameterValue> = {};
  for (const [key, def] of Object.entries(definitions.parameters ?? {})) {
    const b = bindings.parameters?.[key];
    let value: ParameterValue | undefined;
    if (!b) value = def.defaultValue;
    else if ('componentInputParameter' in b) value = ctx.runParameters[b.componentInputParameter];
    else if ('runtimeValue' in b) value = b.runtimeValue.constant;
    else value = upstream(ctx, task.name, b.taskOutputParameter.producerTask).parameters[b.taskOutputParameter.outputParameterKey];
    if (value !== undefined) parameters[key] = value;
  }
  for (const key of Object.keys(bindings.parameters ?? {})) {
    if (!Object.hasOwn(definitions.parameters ?? {}, key)) throw bad(`task '${task.name}' binds undeclared parameter '${key}'`);
  }
  const artifacts: NonNullable<ExecutorInput['inputs']>['artifacts'] = {};
  const inputKeys: Record<string, string> = {};
  const producers: Record<string, { task: string; artifact: string }> = {};
  for (const [key, b] of Object.entries(bindings.artifacts ?? {})) {
    if ('componentInputArtifact' in b) {
      const record = ctx.runArtifacts[b.componentInputArtifact];
      if (!record) {
        // KFP's driver leaves an absent optional input out too.
        if (definitions.artifacts?.[key]?.isOptional) continue;
        throw bad(`task '${task.name}' input '${key}': run input artifact '${b.componentInputArtifact}' was not given and the input is required`);
      }
      artifacts[key] = { artifacts: [{ name: `inputs/${b.componentInputArtifact}`, type: typeOf(record.type), uri: ctx.uriFor(record.path), metadata: record.metadata ?? {} }] };
      inputKeys[key] = record.path;
      producers[key] = { task: 'inputs', artifact: b.componentInputArtifact };
      continue;
    }
    const { producerTask, outputArtifactKey } = b.taskOutputArtifact;
    const record = upstream(ctx, task.name, producerTask).artifacts[outputArtifactKey];
    if (!record) throw bad(`task '${task.name}' input '${key}': task '${producerTask}' produced no '${outputArtifactKey}'`);
    artifacts[key] = { artifacts: [{ name: `${producerTask}/${outputArtifactKey}`, type: typeOf(record.type), uri: ctx.uriFor(record.path), metadata: record.metadata ?? {} }] };
    inputKeys[key] = record.path;
    producers[key] = { task: producerTask, artifact: outputArtifactKey };
  }
  const outputDefs = ctx.spec.components[task.spec.componentRef.name].outputDefinitions?.artifacts ?? {};
  const outputs = Object.fromEntries(
    Object.entries(outputDefs).map(([key, def]) => [key, { artifacts: [{ name: key, type: typeOf(def.artifactType.schemaTitle), uri: outputUris[key] }] }]),
  );
  return { executorInput: { inputs: { parameterValues: parameters, artifacts }, outputs: { artifacts: outputs } }, parameters, inputKeys, producers };
}

function upstream(ctx: TaskInputContext, task: string, producer: string): FinishedOutputs {
  const f = ctx.finished.get(producer);
  if (!f) throw bad(`task '${task}' reads from task '${producer}', which has not succeeded (missing from dependentTasks?)`);
  return f;
}

const typeOf = (schemaTitle: ArtifactTypeName) => ({ schemaTitle, schemaVersion: ARTIFACT_SCHEMA_VERSION });

function bad(reason: string): PipelineError {
  return new PipelineError('pipeline.badSpec', { reason });
}
