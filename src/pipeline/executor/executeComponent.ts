// The one entry that runs a component from a KFP ExecutorInput, used by the KFP container
// (`sealed-executor --executor-input {{$}}`), the local runner and `sealed component`:
//   parse ExecutorInput -> validate parameters (defaults, type, range, enum) and artifacts
//   -> map URIs to paths -> run -> check outputs exist, collect metadata -> ExecutorOutput
//   (also written to outputs.outputFile when KFP asks for it).
// As the real KFP launcher drives it (kubeflow/pipelines backend/src/v2/driver/driver.go provisionOutputs,
// component/launcher_v2.go; the SDK's sdk/python/kfp/dsl/executor.py for what a component does):
// - output artifacts we do not declare (`executor-logs`, added by the driver from KFP 2.5.0) are ignored:
//   nothing is written for them and they are left out of the ExecutorOutput (the launcher owns that file);
// - an input artifact without type.schemaTitle ({"instanceSchema": ""} from MLMD, or no type) takes
//   the declared type (executor.py create_artifact_instance: fallback to the annotation's class);
// - an empty artifact list is "not given" (executor.py: `if list_of_artifact_proto_structs`);
// - an input artifact we do not declare is refused (executor.py: `self.func.__annotations__[name]` raises);
// - output parameters KFP provisions are not ours unless declared (we declare none): ignored;
// - URIs with `..` segments, control characters or an unknown scheme, and an outputFile that is
//   not a plain file path (special file, directory, `..`), are refused before the component runs.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PipelineError, UsageError, withoutDataValues, writeFileAtomic, type ByteChunks } from '../../core/index.ts';
import { CLI_SOURCE_POLICY, sourcePolicyFromEnv } from '../../data/source/sourcePolicy.ts';
import type { ComponentRuntime } from '../dsl/context.ts';
import type { ArtifactTypeName, JsonValue } from '../ir/index.ts';
import { validateParameters, type AnyComponent, type InputArtifact, type OutputArtifact, type ProgressUpdate } from '../dsl/index.ts';
import type { ScratchFile } from '../dsl/context.ts';
import { plainCodec, type ArtifactCodec, type CodecWrite } from './artifactCodec.ts';
import { parseExecutorInput, type ExecutorInput, type ExecutorOutput } from './executorInput.ts';
import { buildInputArtifact } from './inputArtifact.ts';
import { buildOutputArtifact, type OutputState } from './outputArtifact.ts';
import { uriToPath } from './uriToPath.ts';

export interface ExecutionReporter {
  log(text: string): void;
  progress(update: ProgressUpdate): void;
}

export interface ExecuteOptions {
  reporter?: ExecutionReporter;
  signal?: AbortSignal;
  /**
   * What the component may do (its data-source policy), handed to it as `ctx.runtime`. Default: the
   * policy in SEALED_DATA_POLICY, else the CLI's (any local path, public network addresses only).
   * Servers and the KFP executor pass their own.
   */
  runtime?: Pick<ComponentRuntime, 'dataPolicy'>;
  /** The run's later tasks execute in this process (the local runner): `ctx.runtime.sharedProcess`. */
  sharedProcess?: boolean;
  /** How artifacts are read and written (default: plain files; src/seal's codec for sealed runs). */
  codec?: ArtifactCodec;
  /** The run and task this execution belongs to, bound into sealed outputs. Required when sealing. */
  identity?: { runId: string; task: string };
  /**
   * Who must have produced each input (from the pipeline's DAG): a sealed input whose seal record
   * names another task or output is refused, so outputs cannot be swapped between tasks.
   */
  producers?: Readonly<Record<string, { task: string; artifact: string }>>;
  /**
   * Where scratch files go. Default: beside the first output (same file system, so no copy across mounts). An
   * enclave passes its own temporary folder (the Gramine manifest's TMPDIR, in-enclave tmpfs) so scratch never
   * touches the host-visible output mount.
   */
  scratchDir?: string;
}

export async function executeComponent(component: AnyComponent, executorInput: unknown, options: ExecuteOptions = {}): Promise<ExecutorOutput> {
  const input = parseExecutorInput(component.name, executorInput);
  const owner = `component '${component.name}'`;
  const codec = options.codec ?? plainCodec;
  if (codec.sealed && !options.identity) throw new PipelineError('pipeline.badDefinition', { owner, reason: 'a sealed execution needs the run id and task name' });
  const identity = options.identity ?? { runId: '', task: component.name };
  const parameters = validateParameters(owner, component.parameters, input.inputs?.parameterValues ?? {});
  const inputs = resolveInputs(component, input, codec, options.producers ?? {});
  const outputStates = resolveOutputs(component, input, identity);
  const outputFile = input.outputs?.outputFile;
  if (outputFile) await checkOutputFile(component.name, outputFile);
  for (const s of outputStates.values()) await mkdir(dirname(s.path), { recursive: true });
  if (options.scratchDir !== undefined) await mkdir(options.scratchDir, { recursive: true });
  const outputs = Object.fromEntries([...outputStates].map(([k, s]) => [k, buildOutputArtifact(component.name, s, codec)])) as Record<string, OutputArtifact>;
  const scratchDir = options.scratchDir ?? (outputStates.size > 0 ? dirname([...outputStates.values()][0].path) : tmpdir());
  const scratches = new Set<string>();
  const signal = options.signal ?? new AbortController().signal;
  const runtime: ComponentRuntime = Object.freeze({
    dataPolicy: options.runtime?.dataPolicy ?? sourcePolicyFromEnv(process.env, CLI_SOURCE_POLICY),
    sharedProcess: options.sharedProcess === true,
  });
  signal.throwIfAborted();
  try {
    await component.run({
      component: component.name,
      parameters,
      inputs,
      outputs,
      runtime,
      signal,
      scratch: (name) => makeScratch(component.name, scratchDir, name, identity, codec, scratches),
      log: (text) => options.reporter?.log(String(text)),
      progress: (update) => {
        if (Number.isFinite(update.current) && Number.isFinite(update.total)) options.reporter?.progress(update);
      },
    });
  } catch (e) {
    // A sealed run's errors go to run.json, task logs and pod logs in the clear: no data values in them.
    throw codec.sealed ? withoutDataValues(e) : e;
  } finally {
    for (const p of scratches) await rm(p, { force: true });
  }
  for (const [key, s] of outputStates) {
    const written = await stat(s.path).catch(() => undefined);
    if (!written) throw new PipelineError('pipeline.outputNotWritten', { component: component.name, output: key, path: s.path });
    await codec.finishOutput({ path: s.path, label: `output '${key}' of '${component.name}'`, identity: s.identity }, s.written === true);
  }
  const result: ExecutorOutput = {
    parameterValues: {},
    artifacts: Object.fromEntries([...outputStates].map(([k, s]) => [k, { artifacts: [{ name: s.name, metadata: { ...s.metadata, ...(s.codecMetadata ?? {}) } }] }])),
  };
  if (outputFile) await writeFileAtomic(outputFile, JSON.stringify(result));
  return result;
}

function resolveInputs(component: AnyComponent, input: ExecutorInput, codec: ArtifactCodec, producers: Readonly<Record<string, { task: string; artifact: string }>>): Record<string, InputArtifact | undefined> {
  const given = input.inputs?.artifacts ?? {};
  const declared = component.inputs as Record<string, { type: ArtifactTypeName; optional: boolean }>;
  rejectUnknown(component.name, 'inputs.artifacts', given, declared);
  const out: Record<string, InputArtifact | undefined> = {};
  for (const [key, spec] of Object.entries(declared)) {
    const a = given[key]?.artifacts[0];
    if (a) checkUri(component.name, `inputs.artifacts.${key}`, a.uri);
    if (!a) {
      if (!spec.optional) throw new UsageError('pipeline.badExecutorInput', { component: component.name, reason: `required input artifact '${key}' is missing` });
      out[key] = undefined;
      continue;
    }
    checkType(component.name, `inputs.artifacts.${key}`, a.type?.schemaTitle, spec.type);
    out[key] = buildInputArtifact(component.name, { key, name: a.name || key, type: spec.type, uri: a.uri, path: uriToPath(a.uri), metadata: { ...((a.metadata ?? {}) as Record<string, JsonValue>) }, ...(producers[key] ? { producer: producers[key] } : {}) }, codec);
  }
  return out;
}

function resolveOutputs(component: AnyComponent, input: ExecutorInput, run: { runId: string; task: string }): Map<string, OutputState> {
  const given = input.outputs?.artifacts ?? {};
  const declared = component.outputs as Record<string, { type: ArtifactTypeName }>;
  // Undeclared outputs (the driver's `executor-logs`) are the launcher's business: not touched, not reported.
  const out = new Map<string, OutputState>();
  for (const [key, spec] of Object.entries(declared)) {
    const a = given[key]?.artifacts[0];
    if (!a) throw new UsageError('pipeline.badExecutorInput', { component: component.name, reason: `output artifact '${key}' has no uri` });
    checkUri(component.name, `outputs.artifacts.${key}`, a.uri);
    checkType(component.name, `outputs.artifacts.${key}`, a.type?.schemaTitle, spec.type);
    out.set(key, { key, name: a.name || key, type: spec.type, uri: a.uri, path: uriToPath(a.uri), metadata: {}, identity: { runId: run.runId, task: run.task, artifact: key, type: spec.type } });
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

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const MAPPED_SCHEMES = new Set(['minio', 's3', 'gs']);

function bad(component: string, reason: string): never {
  throw new UsageError('pipeline.badExecutorInput', { component, reason });
}

/** minio://, s3://, gs:// or a plain path; no control characters, no `..` segment (which would leave the mount). */
function checkUri(component: string, field: string, uri: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(uri)) bad(component, `${field}.uri has a control character`);
  const scheme = SCHEME.exec(uri)?.[1];
  if (scheme && !MAPPED_SCHEMES.has(scheme)) bad(component, `${field}.uri has the unsupported scheme '${scheme}://' (minio://, s3://, gs:// or a path)`);
  if (uri.split(/[\\/]/).includes('..')) bad(component, `${field}.uri has a '..' segment`);
}

/** The executor output file must be a path to a regular file (or nothing yet), never a device, FIFO, socket or folder. */
async function checkOutputFile(component: string, path: string): Promise<void> {
  checkUri(component, 'outputs.outputFile', path);
  if (SCHEME.test(path)) bad(component, 'outputs.outputFile must be a local path');
  const existing = await lstat(path).catch(() => undefined);
  if (existing && !existing.isFile()) bad(component, `outputs.outputFile '${path}' exists and is not a regular file`);
}

/** A scratch file beside the outputs, written and read through the codec, removed after the step at the latest. */
function makeScratch(component: string, dir: string, name: string, run: { runId: string; task: string }, codec: ArtifactCodec, all: Set<string>): ScratchFile {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) throw new PipelineError('pipeline.badName', { what: 'scratch file', name, rule: 'letters, digits, . _ - (at most 64)' });
  const path = join(dir, `.scratch-${name}-${randomBytes(6).toString('hex')}`);
  all.add(path);
  const label = `scratch file '${name}' of '${component}'`;
  const write: CodecWrite = { path, label, identity: { runId: run.runId, task: run.task, artifact: `scratch:${name}`, type: 'system.Artifact' } };
  let recorded: Record<string, JsonValue> = {};
  return Object.freeze({
    path,
    label,
    write: async (chunks: ByteChunks) => {
      recorded = await codec.write(write, chunks);
    },
    open: () => codec.open({ path, label, declaredType: 'system.Artifact', metadata: recorded }),
    remove: async () => {
      await rm(path, { force: true });
      all.delete(path);
    },
  });
}
