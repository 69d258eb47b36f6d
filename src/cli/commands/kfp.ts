// `sealed submit` and `sealed runs list | get | watch | terminate`: a compiled pipeline on a
// Kubeflow Pipelines cluster (REST API v2beta1). Connection options and credentials are in
// kfpConnection.ts.
import type { Command } from 'commander';
import { UsageError } from '../../core/index.ts';
import type { CliIo } from '../io.ts';
import { parseInteger, parseNumber } from '../parseOptions.ts';
import { addConnectionOptions } from './kfpConnection.ts';
import { runsGetCommand, runsListCommand, runsTerminateCommand, runsWatchCommand } from './kfpRuns.ts';
import { submitCommand } from './kfpSubmit.ts';

export function registerKfpCommands(program: Command, io: CliIo, signal: AbortSignal, setExit: (code: number) => void): void {
  const pollInterval = (v: string): number => {
    const seconds = parseNumber('--poll-interval', v);
    if (seconds <= 0) throw new UsageError('cli.badValue', { option: '--poll-interval', value: v, expected: 'a positive number of seconds' });
    return seconds * 1000;
  };
  const collect = (v: string, all: string[] = []): string[] => [...all, v];

  addConnectionOptions(
    program
      .command('submit')
      .description('upload a compiled pipeline to KFP (a new version if it exists), start a run and follow it')
      .argument('<pipeline.yaml>', 'compiled pipeline (sealed compile)')
      .option('--pipeline-name <name>', 'pipeline name on KFP (default: pipelineInfo.name)')
      .option('--version <name>', 'name of the new version when the pipeline exists (default: a UTC timestamp)')
      .option('--experiment <name>', 'experiment of the run, created when missing (default "Default")')
      .option('--run-name <name>', 'run name (default: <pipeline>-<timestamp>)')
      .option('--param <key=value>', 'run parameter, converted to its declared type (repeatable)', collect)
      .option('--no-wait', 'print the run id and return without following the run')
      .option('--poll-interval <seconds>', 'time between two status reads (default 5)', pollInterval)
      .option('--json', 'end stdout with one JSON line {run_id, run_url, pipeline_id, pipeline_version_id, experiment_id, state}'),
    { namespace: true },
  ).action(async (file: string, options) => setExit(await submitCommand(file, options, io, signal)));

  const runs = program.command('runs').description('list, inspect, follow and stop runs on a KFP cluster');

  addConnectionOptions(
    runs
      .command('list')
      .description('newest runs first: id, state, created, name')
      .option('--experiment <name>', 'only runs of this experiment')
      .option('--limit <n>', 'most runs to show (default 20)', (v) => parseInteger('--limit', v, { min: 1 }))
      .option('--json', 'print one JSON array'),
    { namespace: true },
  ).action(async (options) => setExit(await runsListCommand(options, io, signal)));

  addConnectionOptions(
    runs
      .command('get')
      .description("a run's state, times and per-task states")
      .argument('<run-id>', 'run id')
      .option('--json', 'print the run as one JSON object'),
    { namespace: false },
  ).action(async (runId: string, options) => setExit(await runsGetCommand(runId, options, io, signal)));

  addConnectionOptions(
    runs
      .command('watch')
      .description('follow a run until it ends; Ctrl-C stops watching, not the run')
      .argument('<run-id>', 'run id')
      .option('--poll-interval <seconds>', 'time between two status reads (default 5)', pollInterval),
    { namespace: false },
  ).action(async (runId: string, options) => setExit(await runsWatchCommand(runId, options, io, signal)));

  addConnectionOptions(runs.command('terminate').description('stop a run').argument('<run-id>', 'run id'), { namespace: false }).action(async (runId: string, options) =>
    setExit(await runsTerminateCommand(runId, options, io, signal)),
  );
}
