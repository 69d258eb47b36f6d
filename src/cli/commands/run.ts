// `sealed run`: compile the catalog's pipeline, run it locally, print where the results are
// and the summary metrics (with --json the last stdout line is {"runDir","state","metrics"}).
// `--init-model <path>` feeds the pipeline's run input artifact `init_model`: the model is
// checked (parsed) before any task starts and copied into the run as inputs/init_model.<ext>.
import { readFile } from 'node:fs/promises';
import { relative, resolve, isAbsolute } from 'node:path';
import { IoError, PipelineError, UsageError } from '../../core/index.ts';
import { parseModel } from '../../gbdt/index.ts';
import { compilePipeline, newRunId, runPipeline, validateParameters, type PipelineDefinition } from '../../pipeline/index.ts';
import type { CliIo } from '../io.ts';
import type { PipelineCatalog, RunOptions } from '../pipelineCatalog.ts';
import { terminalReporter } from '../progress/terminalReporter.ts';
import { formatMetrics, runNotices, summaryMetrics } from '../summary.ts';

export interface RunCommandOptions extends Partial<RunOptions> {
  runDir?: string;
  json?: boolean;
  /** Model file for the pipeline input `init_model`. */
  initModel?: string;
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
  const given = runOptionsToParameters({
    threads: options.threads ?? io.cores,
    ...(options.dataUrl !== undefined ? { dataUrl: options.dataUrl } : {}),
    ...(options.dataSize !== undefined ? { dataSize: options.dataSize } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.split !== undefined ? { split: options.split } : {}),
    ...(options.explain !== undefined ? { explain: options.explain } : {}),
  });
  // Ranges and enums of run parameters are checked here, before any task starts.
  const parameters = validateParameters(`pipeline '${pipeline.name}'`, pipeline.parameters, given);
  const artifacts = await runArtifacts(pipeline, options, io.cwd);
  const spec = compilePipeline(pipeline);
  const runId = newRunId();
  const runDir = resolve(io.cwd, options.runDir ?? `runs/${runId}`);
  const manifest = await runPipeline(spec, registry, { runDir, runId, parameters, artifacts, reporter: terminalReporter(io.stderr), signal });
  const metrics = summaryMetrics(pipeline, manifest);
  const shown = displayPath(io.cwd, runDir);
  if (manifest.state === 'succeeded') {
    io.stdout.write(`results: ${shown}\n`);
    for (const notice of runNotices(manifest)) io.stdout.write(`note: ${notice}\n`);
    if (Object.keys(metrics).length > 0) io.stdout.write(['metrics:', ...formatMetrics(metrics)].join('\n') + '\n');
  }
  if (options.json) io.stdout.write(JSON.stringify({ runDir, state: manifest.state, metrics }) + '\n');
  if (manifest.state === 'failed') throw new PipelineError('cli.runFailed', { runDir: shown, reason: manifest.error ?? 'unknown error' });
  return 0;
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
