// `sealed run`: compile the catalog's pipeline, run it locally, print where the results are
// and the summary metrics (with --json the last stdout line is {"runDir","state","metrics"}).
// `--init-model <path>` feeds the pipeline's run input artifact `init_model`: the model is
// checked (parsed) before any task starts and copied into the run as inputs/init_model.<ext>.
import { readFile } from 'node:fs/promises';
import { relative, resolve, isAbsolute } from 'node:path';
import { IoError, PipelineError, UsageError, debugEnabled, printable, printableJson } from '../../core/index.ts';
import { redactValue } from '../../core/index.ts';
import { parseModel } from '../../gbdt/index.ts';
import { compilePipeline, LocalArtifactStore, newRunId, parseStoreLocation, parseStoreUrl, runPipeline, validateParameters, type ArtifactStore, type PipelineDefinition } from '../../pipeline/index.ts';
import { clearRerunLeftovers, lockForResume, planResume, readRunManifest, resumeParameters, type RunManifest } from '../../pipeline/index.ts';
import { cliSourcePolicy } from '../../data/source/sourcePolicy.ts';
import type { CliIo } from '../io.ts';
import { openSealing } from '../sealing.ts';
import type { PipelineCatalog, RunOptions } from '../pipelineCatalog.ts';
import { terminalReporter } from '../progress/terminalReporter.ts';
import { formatMetrics, runNotices, summaryMetrics } from '../summary.ts';

export interface RunCommandOptions extends Partial<RunOptions> {
  runDir?: string;
  json?: boolean;
  /** Model file for the pipeline input `init_model`. */
  initModel?: string;
  /** `--resume DIR`: continue the run in DIR (see resumeCommand). */
  resume?: string;
  /** `--data-root DIR` (repeatable): local data only from under these folders. */
  dataRoot?: string[];
  /** `--allow-private-networks`: data URLs may reach loopback, private and link-local addresses. */
  allowPrivateNetworks?: boolean;
  /** `--seal --keys DIR`: every artifact sealed with the key folder's keys (src/cli/sealing.ts). */
  seal?: boolean;
  keys?: string;
  /** `--store s3://bucket/prefix | az://container/prefix`: the run is kept in object storage, under <prefix>/<run id>. */
  store?: string;
  /** `--s3-endpoint URL`: an S3-compatible server (MinIO, SeaweedFS) instead of AWS. */
  s3Endpoint?: string;
}

/** What the tasks may read (ctx.runtime.dataPolicy): SEALED_DATA_POLICY, else the CLI default with --data-root / --allow-private-networks. */
function runRuntime(options: RunCommandOptions, io: CliIo): { dataPolicy: ReturnType<typeof cliSourcePolicy> } {
  return { dataPolicy: cliSourcePolicy(io.env, { dataRoots: options.dataRoot ?? [], allowPrivateNetworks: options.allowPrivateNetworks === true }, io.cwd) };
}

/** Run input artifacts from options: --init-model -> init_model, when the pipeline declares it. */
async function runArtifacts(pipeline: PipelineDefinition, options: RunCommandOptions, cwd: string): Promise<Record<string, string>> {
  if (options.initModel === undefined) return {};
  if (!Object.hasOwn(pipeline.inputs ?? {}, 'init_model')) throw new UsageError('cli.runInputUnsupported', { option: '--init-model', pipeline: pipeline.name });
  const path = resolve(cwd, options.initModel);
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new IoError('io.notFound', { path: options.initModel as string }, { cause: e });
    throw new IoError('io.readFailed', { path: options.initModel as string, reason: e.message }, { cause: e });
  });
  // A corrupt model fails now, not after the tasks before training have run.
  parseModel(bytes, options.initModel);
  return { init_model: path };
}

export async function runCommand(options: RunCommandOptions, io: CliIo, catalog: PipelineCatalog, signal: AbortSignal): Promise<number> {
  const { pipeline, registry, runOptionsToParameters } = await catalog();
  // A bad SEALED_DATA_POLICY or flag combination fails here, before anything is touched.
  const runtime = runRuntime(options, io);
  const sealing = await openSealing(options, io.cwd);
  if (options.resume !== undefined) return resumeCommand({ ...options, resume: options.resume }, io, { pipeline, registry, runOptionsToParameters }, signal);
  const given = runOptionsToParameters({
    threads: options.threads ?? io.cores,
    ...(options.dataUrl !== undefined ? { dataUrl: options.dataUrl } : {}),
    ...(options.dataSize !== undefined ? { dataSize: options.dataSize } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.split !== undefined ? { split: options.split } : {}),
    ...(options.explain !== undefined ? { explain: options.explain } : {}),
    ...(options.artifactFormat !== undefined ? { artifactFormat: options.artifactFormat } : {}),
  });
  // Ranges and enums of run parameters are checked here, before any task starts.
  const parameters = validateParameters(`pipeline '${pipeline.name}'`, pipeline.parameters, given);
  const artifacts = await runArtifacts(pipeline, options, io.cwd);
  const spec = compilePipeline(pipeline);
  const runId = newRunId();
  const store = openRunStore(options, runId, io);
  const runDir = store ? store.location : resolve(io.cwd, options.runDir ?? `runs/${runId}`);
  const manifest = await runPipeline(spec, registry, {
    runDir,
    runId,
    ...(store ? { store } : {}),
    parameters,
    artifacts,
    reporter: terminalReporter(io.stderr),
    signal,
    debug: debugEnabled(io.env),
    runtime,
    ...(sealing ? { codecFor: sealing.codecFor, afterRun: sealing.afterRun } : {}),
  });
  return reportOutcome(pipeline, manifest, runDir, options, io);
}

/** Where the results are and the summary metrics; a failed run throws its one-line error. */
function reportOutcome(pipeline: PipelineDefinition, manifest: RunManifest, runDir: string, options: RunCommandOptions, io: CliIo): number {
  const metrics = summaryMetrics(pipeline, manifest);
  const shown = displayPath(io.cwd, runDir);
  if (manifest.state === 'succeeded') {
    io.stdout.write(`results: ${printable(shown)}\n`);
    for (const notice of runNotices(manifest)) io.stdout.write(`note: ${notice}\n`);
    if (Object.keys(metrics).length > 0) io.stdout.write(['metrics:', ...formatMetrics(metrics)].join('\n') + '\n');
  }
  if (options.json) io.stdout.write(printableJson({ runDir, state: manifest.state, metrics }) + '\n');
  if (manifest.state === 'failed') throw new PipelineError('cli.runFailed', { runDir: shown, reason: manifest.error ?? 'unknown error' });
  return 0;
}

/** The option that sets a run parameter, for messages (the catalog's generic mapping). */
const RESUME_OPTIONS: Readonly<Record<string, string>> = { data_url: '--data-url', data_size: '--data-size', seed: '--seed', split: '--split', threads: '--threads', explain: '--explain', artifact_format: '--artifact-format' };

/**
 * `sealed run --resume DIR`: the run in DIR continues from the first task whose outputs are
 * missing or fail their sha256 (resumeRun.ts), with its recorded parameters. Options that set a
 * parameter may be given only with the recorded value; one recorded redacted (a URL with a
 * secret) must be given again. Refused while the run's owner is alive, and when the run
 * succeeded with every output intact.
 */
async function resumeCommand(options: RunCommandOptions & { resume: string }, io: CliIo, entry: Awaited<ReturnType<PipelineCatalog>>, signal: AbortSignal): Promise<number> {
  if (options.store !== undefined) throw new UsageError('cli.usage', { reason: '--resume works on a local run folder; a run in --store cannot be resumed yet' });
  if (options.runDir !== undefined) throw new UsageError('cli.usage', { reason: '--resume DIR names the run folder: leave out --run-dir' });
  if (options.initModel !== undefined) throw new UsageError('pipeline.resumeInputOption', { option: '--init-model' });
  const { pipeline, registry, runOptionsToParameters } = entry;
  const runDir = resolve(io.cwd, options.resume);
  const shown = printable(displayPath(io.cwd, runDir));
  const spec = compilePipeline(pipeline);
  // Checked first, so a folder that holds no run gets that message, not the lock's.
  await readRunManifest(runDir, shown);
  const release = await lockForResume(runDir, { label: shown });
  try {
    const sealing = await openSealing(options, io.cwd);
    // A sealed run resumes only from the run.json its signature vouches for: kept tasks' outputs are
    // then checked against authentic records (planResume), not ones edited to bless swapped files.
    if (sealing) await (await import('../../seal/index.ts')).readSignedRunManifest(new LocalArtifactStore(runDir), sealing.keys.verifier(), shown);
    const plan = await planResume(spec, registry, runDir, { label: shown });
    const recordedThreads = plan.manifest.parameters.threads;
    const given = runOptionsToParameters({
      threads: options.threads ?? (typeof recordedThreads === 'number' ? recordedThreads : io.cores),
      ...(options.dataUrl !== undefined ? { dataUrl: options.dataUrl } : {}),
      ...(options.dataSize !== undefined ? { dataSize: options.dataSize } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.split !== undefined ? { split: options.split } : {}),
      ...(options.explain !== undefined ? { explain: options.explain } : {}),
      ...(options.artifactFormat !== undefined ? { artifactFormat: options.artifactFormat } : {}),
    });
    const real = resumeParameters(plan.manifest, shown, given, redactValue, (p) => RESUME_OPTIONS[p] ?? `parameter '${p}'`);
    const parameters = validateParameters(`pipeline '${pipeline.name}'`, pipeline.parameters, real);
    await clearRerunLeftovers(runDir, plan.rerun);
    io.stderr.write(`resuming run ${printable(plan.manifest.id)} from task '${plan.rerun[0] ?? 'none'}' (${printable(plan.why)}); keeping ${plan.keep.length > 0 ? plan.keep.join(', ') : 'no task'}\n`);
    const manifest = await runPipeline(spec, registry, {
      runDir,
      parameters,
      resume: plan,
      reporter: terminalReporter(io.stderr),
      signal,
      debug: debugEnabled(io.env),
      runtime: runRuntime(options, io),
      ...(sealing ? { codecFor: sealing.codecFor, afterRun: sealing.afterRun } : {}),
    });
    return reportOutcome(pipeline, manifest, runDir, options, io);
  } finally {
    await release();
  }
}

/**
 * The object store a run is kept in (`--store URL`, credentials from the environment only), at
 * <prefix>/<run id>; undefined for a local run folder.
 */
function openRunStore(options: RunCommandOptions, runId: string, io: CliIo): ArtifactStore | undefined {
  if (options.store === undefined) {
    if (options.s3Endpoint !== undefined) throw new UsageError('cli.usage', { reason: '--s3-endpoint is for --store s3://...' });
    return undefined;
  }
  if (options.runDir !== undefined) throw new UsageError('cli.usage', { reason: '--store and --run-dir both say where the run goes: give one' });
  const location = parseStoreLocation(options.store);
  if (location.kind === 'local') throw new UsageError('cli.usage', { reason: '--store takes s3://bucket/prefix or az://container/prefix; for a folder use --run-dir' });
  if (options.s3Endpoint !== undefined && location.kind !== 's3') throw new UsageError('cli.usage', { reason: '--s3-endpoint is for --store s3://...' });
  // The AWS SDK warns on every start that its 2027 releases need Node 22: not the user's concern here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return parseStoreUrl(`${options.store.replace(/\/+$/, '')}/${runId}`, io.env, options.s3Endpoint !== undefined ? { s3Endpoint: options.s3Endpoint } : {});
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
