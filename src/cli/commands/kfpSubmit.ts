// `sealed submit <pipeline.yaml>`: upload a compiled pipeline to KFP (or a new version of it),
// start a run with typed --param values and follow it until it ends. The file and every
// parameter are checked before the first request. Steps and progress go to stderr; the run id,
// its URL and the final state to stdout (with --json, a last line {run_id, run_url, ...}).
// `sealed submit --pipeline NAME|ID [--pipeline-version ID]` runs a version already on KFP
// (default its newest) without uploading; the parameters are then checked against that
// version's pipeline_spec as the API returns it.
import { resolve } from 'node:path';
import { UsageError, printable } from '../../core/index.ts';
import {
  getPipeline,
  listVersions,
  parseRuntimeParameters,
  readCompiledPipeline,
  specParameters,
  specTaskNames,
  submitPipeline,
  submitVersion,
  watchRun,
  type KfpClient,
  type Submitted,
} from '../../pipeline/kfp/index.ts';
import type { CliIo } from '../io.ts';
import type { KfpConnectionFlags } from './kfpConnection.ts';
import { watchExitCode, withClient } from './kfpRuns.ts';

export interface SubmitFlags extends KfpConnectionFlags {
  pipelineName?: string;
  /** An existing pipeline (name or id) to run instead of a file. */
  pipeline?: string;
  pipelineVersion?: string;
  version?: string;
  experiment?: string;
  runName?: string;
  param?: string[];
  /** false with --no-wait. */
  wait?: boolean;
  /** Milliseconds between two polls. */
  pollInterval?: number;
  json?: boolean;
}

export async function submitCommand(file: string | undefined, flags: SubmitFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  if ((file === undefined) === (flags.pipeline === undefined)) throw new UsageError('cli.usage', { reason: 'sealed submit needs a compiled pipeline file or --pipeline NAME|ID (not both)' });
  if (flags.pipelineVersion !== undefined && flags.pipeline === undefined) throw new UsageError('cli.usage', { reason: '--pipeline-version needs --pipeline NAME|ID (the version is looked up under its pipeline)' });
  const compiled = file !== undefined ? await readCompiledPipeline(resolve(io.cwd, file), file) : undefined;
  const parameters = compiled ? parseRuntimeParameters(compiled.name, flags.param ?? [], compiled.parameters) : undefined;
  return withClient(flags, io, 'sealed submit', async (client) => {
    const stamp = timestamp(new Date());
    let submitted: Submitted;
    let taskNames: string[] | undefined;
    if (compiled && parameters) {
      const pipelineName = flags.pipelineName ?? compiled.name;
      const options = { pipelineName, versionName: flags.version ?? stamp, experiment: flags.experiment ?? 'Default', runName: flags.runName ?? `${pipelineName}-${stamp}`, parameters };
      submitted = await submitPipeline(client, compiled, options, signal);
      taskNames = compiled.tasks;
    } else {
      ({ submitted, taskNames } = await submitExisting(client, flags, stamp, signal));
    }
    reportSteps(submitted, io);
    const runId = submitted.run.run_id;
    const runUrl = client.runUrl(runId);
    io.stdout.write(`run: ${runId}\nurl: ${runUrl}\n`);
    const json = (state: string | undefined): void => {
      if (!flags.json) return;
      const { pipeline, version, experiment } = submitted;
      const line = { run_id: runId, run_url: runUrl, pipeline_id: pipeline.pipeline_id, pipeline_version_id: version.pipeline_version_id, experiment_id: experiment.experiment_id, state };
      io.stdout.write(JSON.stringify(line) + '\n');
    };
    if (flags.wait === false) {
      json(submitted.run.state);
      return 0;
    }
    const result = await watchRun(client, runId, { intervalMs: flags.pollInterval, signal, expectedTasks: taskNames?.length, taskNames, report: (line) => io.stderr.write(line + '\n') });
    if (!result.stopped) io.stdout.write(`state: ${result.run?.state ?? 'PENDING'}\n`);
    json(result.run?.state);
    return watchExitCode(result, runId, io);
  });
}

/** A run of a version on KFP: its spec is read first and the parameters checked against it. */
async function submitExisting(client: KfpClient, flags: SubmitFlags, stamp: string, signal: AbortSignal): Promise<{ submitted: Submitted; taskNames?: string[] }> {
  const pipeline = await getPipeline(client, flags.pipeline ?? '', signal);
  const versionId = flags.pipelineVersion ?? (await listVersions(client, pipeline.pipeline_id, 1, signal))[0]?.pipeline_version_id;
  if (versionId === undefined) throw new UsageError('cli.usage', { reason: `pipeline ${pipeline.pipeline_id} has no version to run` });
  const version = await client.getPipelineVersion(pipeline.pipeline_id, versionId, signal);
  if (version.pipeline_spec === undefined) throw new UsageError('kfp.versionSpecMissing', { versionId, reason: 'the API answer has none' });
  const spec = specParameters(version.pipeline_spec);
  const parameters = parseRuntimeParameters(spec.name, flags.param ?? [], spec.parameters);
  const name = pipeline.display_name ?? spec.name;
  const submitted = await submitVersion(client, pipeline, version, { experiment: flags.experiment ?? 'Default', runName: flags.runName ?? `${name}-${stamp}`, parameters }, signal);
  return { submitted, taskNames: specTaskNames(version.pipeline_spec) };
}

function reportSteps(s: Submitted, io: CliIo): void {
  const pipelineName = printable(s.pipeline.display_name ?? s.pipeline.pipeline_id);
  const version = `version '${printable(s.version.display_name ?? s.version.pipeline_version_id)}' of pipeline '${pipelineName}' (${printable(s.version.pipeline_version_id)})`;
  if (s.pipelineCreated) io.stderr.write(`uploaded pipeline '${pipelineName}' (${printable(s.pipeline.pipeline_id)})\n`);
  else io.stderr.write(`${s.uploaded ? 'uploaded' : 'running'} ${version}\n`);
  io.stderr.write(`${s.experimentCreated ? 'created' : 'using'} experiment '${printable(s.experiment.display_name ?? s.experiment.experiment_id)}' (${printable(s.experiment.experiment_id)})\n`);
}

/** `20260501-120003-042` (UTC, to the millisecond, as version names must be unique): default version and run name suffix. */
function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').slice(0, 19);
}
