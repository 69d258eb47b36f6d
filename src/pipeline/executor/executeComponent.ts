// The one entry that runs a component from a KFP ExecutorInput, used by the KFP container
// (`sealed-executor --executor-input {{$}}`), the local runner and `sealed component`:
//   parse ExecutorInput -> validate parameters (defaults, type, range, enum) and artifacts
//   -> map URIs to paths -> run -> check outputs exist, collect metadata -> ExecutorOutput
//   (also written to outputs.outputFile when KFP asks for it).
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PipelineError, UsageError, writeFileAtomic } from '../../core/index.ts';
import type { ArtifactTypeName, JsonValue } from '../ir/index.ts';
import { validateParameters, type AnyComponent, type InputArtifact, type OutputArtifact, type ProgressUpdate } from '../dsl/index.ts';
import { parseExecutorInput, type ExecutorInput, type ExecutorOutput } from './executorInput.ts';
import { buildOutputArtifact, type OutputState } from './outputArtifact.ts';
import { uriToPath } from './uriToPath.ts';

export interface ExecutionReporter {
  log(text: string): void;
  progress(update: ProgressUpdate): void;
}

export interface ExecuteOptions {
  reporter?: ExecutionReporter;
  signal?: AbortSignal;
}

export async function executeComponent(component: AnyComponent, executorInput: unknown, options: ExecuteOptions = {}): Promise<ExecutorOutput> {
  const input = parseExecutorInput(component.name, executorInput);
  const owner = `component '${component.name}'`;
  const parameters = validateParameters(owner, component.parameters, input.inputs?.parameterValues ?? {});
  const inputs = resolveInputs(component, input);
  const outputStates = resolveOutputs(component, input);
  for (const s of outputStates.values()) await mkdir(dirname(s.path), { recursive: true });
  const outputs = Object.fromEntries([...outputStates].map(([k, s]) => [k, buildOutputArtifact(component.name, s)])) as Record<string, OutputArtifact>;
  const signal = options.signal ?? new AbortController().signal;
  signal.throwIfAborted();
  await component.run({
    component: component.name,
    parameters,
    inputs,
    outputs,
    signal,
    log: (text) => options.reporter?.log(String(text)),
    progress: (update) => {
      if (Number.isFinite(update.current) && Number.isFinite(update.total)) options.reporter?.progress(update);
    },
  });
  for (const [key, s] of outputStates) {
    const written = await stat(s.path).catch(() => undefined);
    if (!written) throw new PipelineError('pipeline.outputNotWritten', { component: component.name, output: key, path: s.path });
  }
  const result: ExecutorOutput = {
    parameterValues: {},
    artifacts: Object.fromEntries([...outputStates].map(([k, s]) => [k, { artifacts: [{ name: s.name, metadata: { ...s.metadata } }] }])),
  };
  const outputFile = input.outputs?.outputFile;
  if (outputFile) await writeFileAtomic(outputFile, JSON.stringify(result));
  return result;
}

function resolveInputs(component: AnyComponent, input: ExecutorInput): Record<string, InputArtifact | undefined> {
  const given = input.inputs?.artifacts ?? {};
  const declared = component.inputs as Record<string, { type: ArtifactTypeName; optional: boolean }>;
  rejectUnknown(component.name, 'inputs.artifacts', given, declared);
  const out: Record<string, InputArtifact | undefined> = {};
  for (const [key, spec] of Object.entries(declared)) {
    const a = given[key]?.artifacts[0];
    if (!a) {
      if (!spec.optional) throw new UsageError('pipeline.badExecutorInput', { component: component.name, reason: `required input artifact '${key}' is missing` });
      out[key] = undefined;
      continue;
    }
    checkType(component.name, `inputs.artifacts.${key}`, a.type?.schemaTitle, spec.type);
    out[key] = Object.freeze({
      name: a.name ?? key,
      type: spec.type,
      uri: a.uri,
      path: uriToPath(a.uri),
      metadata: Object.freeze({ ...((a.metadata ?? {}) as Record<string, JsonValue>) }),
    });
  }
  return out;
}

function resolveOutputs(component: AnyComponent, input: ExecutorInput): Map<string, OutputState> {
  const given = input.outputs?.artifacts ?? {};
  const declared = component.outputs as Record<string, { type: ArtifactTypeName }>;
  rejectUnknown(component.name, 'outputs.artifacts', given, declared);
  const out = new Map<string, OutputState>();
  for (const [key, spec] of Object.entries(declared)) {
    const a = given[key]?.artifacts[0];
    if (!a) throw new UsageError('pipeline.badExecutorInput', { component: component.name, reason: `output artifact '${key}' has no uri` });
    checkType(component.name, `outputs.artifacts.${key}`, a.type?.schemaTitle, spec.type);
    out.set(key, { key, name: a.name ?? key, type: spec.type, uri: a.uri, path: uriToPath(a.uri), metadata: {} });
  }
  return out;
}

function rejectUnknown(component: string, where: string, given: object, declared: object): void {
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(declared, key)) {
      const known = Object.keys(declared).join(', ') || 'none';
      throw new UsageError('pipeline.badExecutorInput', { component, reason: `unknown artifact '${key}' in ${where} (declared: ${known})` });
    }
  }
}

function checkType(component: string, field: string, given: string | undefined, declared: ArtifactTypeName): void {
  if (given !== undefined && given !== declared && declared !== 'system.Artifact') {
    throw new UsageError('pipeline.badExecutorInput', { component, reason: `${field} is ${given}, expected ${declared}` });
  }
}
