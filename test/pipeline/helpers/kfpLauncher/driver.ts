// The container driver: input resolution and the ExecutorInput it builds, per version.
//  - parameters: backend/src/v2/driver/driver.go@2.0.5/@2.3.0 resolveInputs and resolve.go@HEAD resolveInputs /
//    resolveInputParameter: componentInputParameter from the root DAG's parameters ("parent DAG does not have input
//    parameter X"), runtimeValue.constant, taskOutputParameter from the producer's outputs; then
//    handleParamTypeValidationAndConversion: an unbound optional parameter is left out ("They are resolved internally
//    within the component", the launcher adds its default: launcher.ts), STRING inputs of another JSON type become
//    their text, other mismatches fail; literals checked @HEAD (util.ValidateLiteralParameter).
//  - artifacts: componentInputArtifact must exist in the parent DAG's input artifacts, else
//    `failed to resolve input artifact X with spec component_input_artifact:"Y": parent DAG does not have input artifact Y`
//    (driver.go@2.0.5 ~l.1011, resolve.go@HEAD resolveInputArtifact); a run started through the v2beta1 API has no
//    root input artifacts. taskOutputArtifact -> the producer's MLMD artifact via ToRuntimeArtifact (mlmd.ts).
//  - outputs: provisionOutputs (driver.go@<tag>), see versions.ts for URI form, executor-logs, name and outputFile.
import { randomUUID } from 'node:crypto';
import { localPathForUri } from './paths.ts';
import { Mlmd, type RuntimeArtifactJson } from './mlmd.ts';
import type { ComponentJson, TaskJson, UploadedPipeline } from './upload.ts';
import { KfpDriverError } from './podSpec.ts';
import { PROFILES } from './versions.ts';

type Json = Record<string, unknown>;

export interface ExecutorInputJson {
  inputs: { parameterValues: Json; artifacts: Record<string, { artifacts: RuntimeArtifactJson[] }> };
  outputs?: {
    parameters: Record<string, { outputFile: string }>;
    artifacts: Record<string, { artifacts: RuntimeArtifactJson[] }>;
    outputFile: string;
  };
}

export interface DriverContext {
  pipelineRoot: string; // e.g. minio://mlpipeline/v2/artifacts (config.DefaultPipelineRoot)
  runId: string;
  rootParameters: Json;
  rootArtifacts: Record<string, { artifacts: RuntimeArtifactJson[] }>;
  mlmd: Mlmd;
}

/** metadata.GenerateOutputURI: root (query string dropped) + "/" + path.Join(paths...). */
export function generateOutputUri(root: string, paths: string[]): string {
  return `${root.split('?')[0].replace(/\/+$/, '')}/${paths.join('/')}`;
}

function textOf(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v); // metadata.PbValueToText
}

export function buildExecutorInput(uploaded: UploadedPipeline, taskName: string, ctx: DriverContext): ExecutorInputJson {
  const profile = PROFILES[uploaded.version];
  const { spec } = uploaded;
  const task: TaskJson = spec.root.dag.tasks[taskName];
  const component: ComponentJson = spec.components[task.componentRef.name];
  const fail = (msg: string): never => {
    throw new KfpDriverError(`driver.Container(pipelineName=${spec.pipelineInfo.name}, runID=${ctx.runId}, task="${taskName}") failed: failed to resolve inputs: ${msg}`);
  };
  const parameterValues: Json = {};
  for (const [name, p] of Object.entries(task.inputs?.parameters ?? {})) {
    const specText = `${Object.keys(p)[0]}:${JSON.stringify(Object.values(p)[0])}`;
    if (p.componentInputParameter !== undefined) {
      if (!(p.componentInputParameter in ctx.rootParameters)) fail(`resolving input parameter with spec ${specText}: parent DAG does not have input parameter ${p.componentInputParameter}`);
      parameterValues[name] = ctx.rootParameters[p.componentInputParameter];
    } else if (p.runtimeValue) {
      parameterValues[name] = p.runtimeValue.constant;
    } else if (p.taskOutputParameter) {
      const out = ctx.mlmd.outputParameters.get(p.taskOutputParameter.producerTask) ?? {};
      if (!(p.taskOutputParameter.outputParameterKey in out)) fail(`resolving input parameter with spec ${specText}: cannot find output parameter key "${p.taskOutputParameter.outputParameterKey}" in producer task "${p.taskOutputParameter.producerTask}"`);
      parameterValues[name] = out[p.taskOutputParameter.outputParameterKey];
    }
  }
  for (const [name, def] of Object.entries(component.inputDefinitions?.parameters ?? {})) {
    const hasValue = name in parameterValues;
    if (!hasValue) {
      if (!def.isOptional && def.defaultValue === undefined) fail(`neither value nor default value provided for non-optional parameter "${name}"`);
      continue;
    }
    const v = parameterValues[name];
    if (def.parameterType === 'STRING') {
      if (typeof v !== 'string') parameterValues[name] = textOf(v);
      continue;
    }
    const actual = v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'struct' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'string';
    const ok: Record<string, string[]> = { NUMBER_DOUBLE: ['number'], NUMBER_INTEGER: ['number'], BOOLEAN: ['bool'], LIST: ['list'], STRUCT: ['struct'] };
    if (actual === 'null') fail(`got null for input parameter "${name}"`);
    if (!(ok[def.parameterType] ?? []).includes(actual)) fail(`input parameter "${name}" type mismatch: expect ${def.parameterType}, got ${actual}`);
    if (uploaded.version === 'HEAD' && def.literals && !def.literals.some((l) => JSON.stringify(l) === JSON.stringify(v))) fail(`validating parameter "${name}": value ${JSON.stringify(v)} is not one of the literals`);
  }
  const artifacts: ExecutorInputJson['inputs']['artifacts'] = {};
  for (const [name, a] of Object.entries(task.inputs?.artifacts ?? {})) {
    if (a.componentInputArtifact !== undefined) {
      const given = ctx.rootArtifacts[a.componentInputArtifact];
      if (!given) fail(`failed to resolve input artifact ${name} with spec component_input_artifact:${JSON.stringify(a.componentInputArtifact)}: parent DAG does not have input artifact ${a.componentInputArtifact}`);
      artifacts[name] = given;
    } else if (a.taskOutputArtifact) {
      const { producerTask, outputArtifactKey } = a.taskOutputArtifact;
      const produced = ctx.mlmd.outputs.get(producerTask);
      if (!produced) fail(`failed to resolve input artifact ${name}: cannot find producer task "${producerTask}"`);
      const art = produced![outputArtifactKey];
      if (!art) fail(`failed to resolve input artifact ${name}: cannot find output artifact key "${outputArtifactKey}" in producer task "${producerTask}"`);
      artifacts[name] = { artifacts: [Mlmd.toRuntimeArtifact(art)] };
    }
  }
  // provisionOutputs
  const pipelineRoot = generateOutputUri(ctx.pipelineRoot, [spec.pipelineInfo.name, ctx.runId]);
  const outputArtifacts: Record<string, { artifactType: Json; metadata?: Json }> = { ...(component.outputDefinitions?.artifacts ?? {}) };
  if (profile.executorLogs) outputArtifacts['executor-logs'] = { artifactType: { schemaTitle: 'system.Artifact' } };
  const salt = randomUUID();
  const taskRoot = profile.outputUriSalt ? generateOutputUri(pipelineRoot, [taskName, salt]) : generateOutputUri(pipelineRoot, [taskName]);
  const outputs: NonNullable<ExecutorInputJson['outputs']> = {
    parameters: Object.fromEntries(Object.keys(component.outputDefinitions?.parameters ?? {}).map((k) => [k, { outputFile: `/tmp/kfp/outputs/${k}` }])),
    artifacts: {},
    outputFile: '/tmp/kfp_outputs/output_metadata.json',
  };
  for (const [key, def] of Object.entries(outputArtifacts)) {
    outputs.artifacts[key] = {
      artifacts: [{ ...(profile.outputArtifactName ? { name: key } : {}), uri: generateOutputUri(taskRoot, [key]), type: def.artifactType, ...(def.metadata ? { metadata: def.metadata } : {}) }],
    };
  }
  if (profile.outputFileUnderTaskRoot) outputs.outputFile = `${localPathForUri(taskRoot)}/output_metadata.json`;
  return { inputs: { parameterValues, artifacts }, outputs };
}
