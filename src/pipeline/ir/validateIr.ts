// The project's own check of compiled IR, run before a file is written or uploaded: the JSON
// Schemas in ./schema (closed objects, KFP's field names — what the API server's strict
// protobuf parsing accepts) plus the references a schema cannot express (every executorLabel,
// componentRef, producer task, pipeline parameter and platform executor must exist).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import { PipelineError } from '../../core/index.ts';
import type { PipelineSpec, PlatformSpec } from './types.ts';

const schemaOf = (name: string): object => JSON.parse(readFileSync(new URL(`./schema/${name}`, import.meta.url), 'utf8')) as object;

// Loaded and compiled on first use (~0.1 s): commands that never validate IR (`sealed run`) do not
// pay for it at start-up. Ajv is CommonJS, ~40 files: required synchronously here instead of
// imported by every process that loads the pipeline package (issue 17: 40-60 ms of each start).
let compiled: { checkSpec: ValidateFunction; checkPlatform: ValidateFunction } | undefined;
function checkers(): { checkSpec: ValidateFunction; checkPlatform: ValidateFunction } {
  if (!compiled) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
    const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
    compiled = { checkSpec: ajv.compile(schemaOf('pipelineSpec.schema.json')), checkPlatform: ajv.compile(schemaOf('platformSpec.schema.json')) };
  }
  return compiled;
}

/** Throws PipelineError 'pipeline.irInvalid' naming the JSON path of the first problem. */
export function validatePipelineIr(spec: unknown, platform?: unknown): asserts spec is PipelineSpec {
  const { checkSpec, checkPlatform } = checkers();
  if (!checkSpec(spec)) throw schemaError('pipeline spec', checkSpec.errors);
  checkReferences(spec as PipelineSpec);
  if (platform !== undefined) {
    if (!checkPlatform(platform)) throw schemaError('platform config', checkPlatform.errors);
    const executors = (spec as PipelineSpec).deploymentSpec.executors;
    for (const key of Object.keys((platform as PlatformSpec).platforms.kubernetes.deploymentSpec.executors)) {
      if (!Object.hasOwn(executors, key)) invalid('platform config', `/platforms/kubernetes/deploymentSpec/executors/${key}`, `no executor '${key}' in deploymentSpec.executors`);
    }
  }
}

function checkReferences(spec: PipelineSpec): void {
  for (const [key, c] of Object.entries(spec.components)) {
    if (!Object.hasOwn(spec.deploymentSpec.executors, c.executorLabel)) invalid('pipeline spec', `/components/${key}/executorLabel`, `no executor '${c.executorLabel}'`);
  }
  const tasks = spec.root.dag.tasks;
  const runParams = spec.root.inputDefinitions?.parameters ?? {};
  const runArtifacts = spec.root.inputDefinitions?.artifacts ?? {};
  for (const [name, t] of Object.entries(tasks)) {
    const at = `/root/dag/tasks/${name}`;
    if (!Object.hasOwn(spec.components, t.componentRef.name)) invalid('pipeline spec', `${at}/componentRef/name`, `no component '${t.componentRef.name}'`);
    for (const d of t.dependentTasks ?? []) if (!Object.hasOwn(tasks, d)) invalid('pipeline spec', `${at}/dependentTasks`, `no task '${d}'`);
    for (const [k, p] of Object.entries(t.inputs?.parameters ?? {})) {
      if ('componentInputParameter' in p && !Object.hasOwn(runParams, p.componentInputParameter)) invalid('pipeline spec', `${at}/inputs/parameters/${k}`, `no pipeline parameter '${p.componentInputParameter}'`);
      if ('taskOutputParameter' in p && !Object.hasOwn(tasks, p.taskOutputParameter.producerTask)) invalid('pipeline spec', `${at}/inputs/parameters/${k}`, `no task '${p.taskOutputParameter.producerTask}'`);
    }
    for (const [k, a] of Object.entries(t.inputs?.artifacts ?? {})) {
      if ('componentInputArtifact' in a && !Object.hasOwn(runArtifacts, a.componentInputArtifact)) invalid('pipeline spec', `${at}/inputs/artifacts/${k}`, `no pipeline input artifact '${a.componentInputArtifact}'`);
      if ('taskOutputArtifact' in a && !Object.hasOwn(tasks, a.taskOutputArtifact.producerTask)) invalid('pipeline spec', `${at}/inputs/artifacts/${k}`, `no task '${a.taskOutputArtifact.producerTask}'`);
    }
  }
}

function schemaError(document: string, errors: ErrorObject[] | null | undefined): PipelineError<'pipeline.irInvalid'> {
  const e = errors?.[0];
  if (!e) return new PipelineError('pipeline.irInvalid', { document, path: '', reason: 'invalid' });
  const reason =
    e.keyword === 'additionalProperties'
      ? `unknown field '${(e.params as { additionalProperty: string }).additionalProperty}' (KFP rejects unknown fields)`
      : e.keyword === 'enum'
        ? `${e.message ?? 'not allowed'}: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
        : (e.message ?? e.keyword);
  return new PipelineError('pipeline.irInvalid', { document, path: e.instancePath, reason });
}

function invalid(document: string, path: string, reason: string): never {
  throw new PipelineError('pipeline.irInvalid', { document, path, reason });
}
