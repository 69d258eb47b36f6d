// `sealed submit <pipeline.yaml>`: upload a compiled pipeline to KFP (or a new version of it),
// start a run with typed --param values and follow it until it ends. The file and every
// parameter are checked before the first request. Steps and progress go to stderr; the run id,
// its URL and the final state to stdout (with --json, a last line {run_id, run_url, ...}).
import { resolve } from 'node:path';
import { parseRuntimeParameters, readCompiledPipeline, submitPipeline, watchRun, type Submitted } from '../../pipeline/kfp/index.ts';
import type { CliIo } from '../io.ts';
import type { KfpConnectionFlags } from './kfpConnection.ts';
import { watchExitCode, withClient } from './kfpRuns.ts';

export interface SubmitFlags extends KfpConnectionFlags {
  pipelineName?: string;
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

export async function submitCommand(file: string, flags: SubmitFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  const compiled = await readCompiledPipeline(resolve(io.cwd, file), file);
  const parameters = parseRuntimeParameters(compiled.name, flags.param ?? [], compiled.parameters);
  return withClient(flags, io, 'sealed submit', async (client) => {
    const stamp = timestamp(new Date());
    const pipelineName = flags.pipelineName ?? compiled.name;
    const submitted = await submitPipeline(
      client,
      compiled,
      { pipelineName, versionName: flags.version ?? stamp, experiment: flags.experiment ?? 'Default', runName: flags.runName ?? `${pipelineName}-${stamp}`, parameters },
      signal,
    );
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
    const result = await watchRun(client, runId, { intervalMs: flags.pollInterval, signal, expectedTasks: compiled.tasks.length, report: (line) => io.stderr.write(line + '\n') });
    if (!result.stopped) io.stdout.write(`state: ${result.run?.state ?? 'PENDING'}\n`);
    json(result.run?.state);
    return watchExitCode(result, runId, io);
  });
}

function reportSteps(s: Submitted, io: CliIo): void {
  const pipelineName = s.pipeline.display_name ?? s.pipeline.pipeline_id;
  io.stderr.write(
    s.pipelineCreated
      ? `uploaded pipeline '${pipelineName}' (${s.pipeline.pipeline_id})\n`
      : `uploaded version '${s.version.display_name ?? s.version.pipeline_version_id}' of pipeline '${pipelineName}' (${s.version.pipeline_version_id})\n`,
  );
  io.stderr.write(`${s.experimentCreated ? 'created' : 'using'} experiment '${s.experiment.display_name ?? s.experiment.experiment_id}' (${s.experiment.experiment_id})\n`);
}

/** `20260501-120003-042` (UTC, to the millisecond, as version names must be unique): default version and run name suffix. */
function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').slice(0, 19);
}
