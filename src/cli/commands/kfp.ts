// `sealed submit`, `sealed runs ...`, `sealed pipelines ...`, `sealed experiments list` and
// `sealed schedule ...`: a compiled pipeline on a Kubeflow Pipelines cluster (REST API
// v2beta1). Connection options, credentials and the namespace are in kfpConnection.ts.
import type { Command } from 'commander';
import type { CliIo } from '../io.ts';
import { OPTION_LIMITS, parseInteger, parseNumber } from '../parseOptions.ts';
import { lazy } from '../lazyCommand.ts';
import { addConnectionOptions } from './kfpConnectionOptions.ts';

// Implementations load when a command runs (lazyCommand.ts): the KFP client is not part of start-up.
const catalog = () => import('./kfpCatalog.ts');
const runCommands = () => import('./kfpRunCommands.ts');
const runs = () => import('./kfpRuns.ts');
const schedule = () => import('./kfpSchedule.ts');
const experimentsListCommand = lazy(catalog, 'experimentsListCommand');
const pipelinesGetCommand = lazy(catalog, 'pipelinesGetCommand');
const pipelinesListCommand = lazy(catalog, 'pipelinesListCommand');
const pipelinesVersionsCommand = lazy(catalog, 'pipelinesVersionsCommand');
const runsArtifactsCommand = lazy(runCommands, 'runsArtifactsCommand');
const runsChangeCommand = lazy(runCommands, 'runsChangeCommand');
const runsGetCommand = lazy(runs, 'runsGetCommand');
const runsListCommand = lazy(runs, 'runsListCommand');
const runsTerminateCommand = lazy(runs, 'runsTerminateCommand');
const runsWatchCommand = lazy(runs, 'runsWatchCommand');
const scheduleChangeCommand = lazy(schedule, 'scheduleChangeCommand');
const scheduleCreateCommand = lazy(schedule, 'scheduleCreateCommand');
const scheduleListCommand = lazy(schedule, 'scheduleListCommand');
const submitCommand = lazy(() => import('./kfpSubmit.ts'), 'submitCommand');

export function registerKfpCommands(program: Command, io: CliIo, signal: AbortSignal, setExit: (code: number) => void): void {
  // The interval ends in a setTimeout: above 2^31-1 ms Node would fire it at once.
  const pollInterval = (v: string): number =>
    parseNumber('--poll-interval', v, { min: 0, minExclusive: true, max: OPTION_LIMITS.timerSeconds.max, unit: 'seconds' }) * 1000;
  const collect = (v: string, all: string[] = []): string[] => [...all, v];
  const limit = (v: string): number => parseInteger('--limit', v, OPTION_LIMITS.listLimit);

  addConnectionOptions(
    program
      .command('submit')
      .description('upload a compiled pipeline to KFP (a new version if it exists), start a run and follow it; or run a version already there (--pipeline)')
      .argument('[pipeline.yaml]', 'compiled pipeline (sealed compile)')
      .option('--pipeline <name-or-id>', 'run a pipeline already on KFP instead of uploading a file')
      .option('--pipeline-version <id>', 'with --pipeline: the version to run (default: its newest)')
      .option('--pipeline-name <name>', 'pipeline name on KFP (default: pipelineInfo.name)')
      .option('--version <name>', 'name of the new version when the pipeline exists (default: a UTC timestamp)')
      .option('--experiment <name>', 'experiment of the run, created when missing (default "Default")')
      .option('--run-name <name>', 'run name (default: <pipeline>-<timestamp>)')
      .option('--param <key=value>', 'run parameter, converted to its declared type (repeatable)', collect)
      .option('--no-wait', 'print the run id and return without following the run')
      .option('--poll-interval <seconds>', 'time between two status reads (default 5)', pollInterval)
      .option('--json', 'end stdout with one JSON line {run_id, run_url, pipeline_id, pipeline_version_id, experiment_id, state}'),
  ).action(async (file: string | undefined, options) => setExit(await submitCommand(file, options, io, signal)));

  const runs = program.command('runs').description('list, inspect, follow, stop, retry, archive and delete runs on a KFP cluster; download their artifacts');
  addConnectionOptions(
    runs
      .command('list')
      .description('newest runs first: id, state, created, name')
      .option('--experiment <name>', 'only runs of this experiment')
      .option('--limit <n>', 'most runs to show (default 20)', limit)
      .option('--json', 'print one JSON array'),
  ).action(async (options) => setExit(await runsListCommand(options, io, signal)));
  addConnectionOptions(runs.command('get').description("a run's state, times and per-task states").argument('<run-id>', 'run id').option('--json', 'print the run as one JSON object')).action(
    async (runId: string, options) => setExit(await runsGetCommand(runId, options, io, signal)),
  );
  addConnectionOptions(
    runs
      .command('watch')
      .description('follow a run until it ends; Ctrl-C stops watching, not the run')
      .argument('<run-id>', 'run id')
      .option('--poll-interval <seconds>', 'time between two status reads (default 5)', pollInterval),
  ).action(async (runId: string, options) => setExit(await runsWatchCommand(runId, options, io, signal)));
  addConnectionOptions(runs.command('terminate').description('stop a run').argument('<run-id>', 'run id')).action(async (runId: string, options) =>
    setExit(await runsTerminateCommand(runId, options, io, signal)),
  );
  addConnectionOptions(runs.command('retry').description('retry a failed run (KFP reruns its failed tasks)').argument('<run-id>', 'run id')).action(async (runId: string, options) =>
    setExit(await runsChangeCommand(runId, 'retry', options, io, signal)),
  );
  addConnectionOptions(runs.command('archive').description('archive a run (hidden from the default lists, kept)').argument('<run-id>', 'run id')).action(async (runId: string, options) =>
    setExit(await runsChangeCommand(runId, 'archive', options, io, signal)),
  );
  addConnectionOptions(runs.command('delete').description('delete a run for good').argument('<run-id>', 'run id').option('--yes', 'confirm: deleting cannot be undone')).action(
    async (runId: string, options) => setExit(await runsChangeCommand(runId, 'delete', options, io, signal)),
  );
  addConnectionOptions(
    runs
      .command('artifacts')
      .description("download a run's output artifacts (as ML Metadata records them, through the KFP UI's artifact route) into DIR/<task>/<output>")
      .argument('<run-id>', 'run id')
      .requiredOption('--out <dir>', 'directory to write into (created when missing; existing files are not overwritten)')
      .option('--task <name>', 'only the outputs of this task')
      .option('--output <name>', 'only outputs of this name')
      .option('--logs', "also each task's executor-logs output (KFP >= 2.5)")
      .option('--mlmd-url <url>', "where ML Metadata's gRPC-web route is (default: env KFP_MLMD_URL, else the host's origin, as the Kubeflow ingress serves it)")
      .option('--max-bytes <n>', 'most bytes to download in all (default 268435456)', (v) => parseInteger('--max-bytes', v, { min: 1 }))
      .option('--json', 'print the written paths as one JSON array'),
  ).action(async (runId: string, options) => setExit(await runsArtifactsCommand(runId, options, io, signal)));

  const pipelines = program.command('pipelines').description('pipelines on a KFP cluster and their versions');
  addConnectionOptions(pipelines.command('list').description('newest pipelines first: id, created, name').option('--limit <n>', 'most to show (default 50)', limit).option('--json', 'print one JSON array')).action(
    async (options) => setExit(await pipelinesListCommand(options, io, signal)),
  );
  addConnectionOptions(pipelines.command('get').description('a pipeline and its newest version').argument('<id-or-name>', 'pipeline id or name').option('--json', 'print one JSON object')).action(
    async (idOrName: string, options) => setExit(await pipelinesGetCommand(idOrName, options, io, signal)),
  );
  addConnectionOptions(
    pipelines.command('versions').description("a pipeline's versions, newest first: id, created, name").argument('<id-or-name>', 'pipeline id or name').option('--limit <n>', 'most to show (default 50)', limit).option('--json', 'print one JSON array'),
  ).action(async (idOrName: string, options) => setExit(await pipelinesVersionsCommand(idOrName, options, io, signal)));

  const experiments = program.command('experiments').description('experiments on a KFP cluster');
  addConnectionOptions(experiments.command('list').description('newest experiments first: id, created, name').option('--limit <n>', 'most to show (default 50)', limit).option('--json', 'print one JSON array')).action(
    async (options) => setExit(await experimentsListCommand(options, io, signal)),
  );

  const schedule = program.command('schedule').description('recurring runs of a pipeline version on a KFP cluster');
  addConnectionOptions(
    schedule
      .command('create')
      .description('start runs of a pipeline version on a cron schedule or at an interval')
      .requiredOption('--pipeline <name-or-id>', 'pipeline on KFP')
      .option('--pipeline-version <id>', 'version to run (default: the newest)')
      .option('--name <name>', 'name of the recurring run (default: <pipeline>-schedule)')
      .option('--experiment <name>', 'experiment of the runs, created when missing (default "Default")')
      .option('--cron <expr>', "6-field cron, seconds first, as KFP reads it: '0 0 9 ? * 1-5'; or @daily, @every 2h")
      .option('--interval <seconds>', 'run every N seconds instead of a cron', (v) => parseInteger('--interval', v, { min: 1 }))
      .option('--max-concurrency <n>', 'most runs at once, 1 to 10 (default 1)', (v) => parseInteger('--max-concurrency', v, { min: 1 }))
      .option('--param <key=value>', 'run parameter, checked against the version (repeatable)', collect)
      .option('--disabled', 'create it disabled')
      .option('--no-catchup', 'after a pause, start only the latest missed run instead of every one')
      .option('--json', 'print the created recurring run as one JSON object'),
  ).action(async (options) => setExit(await scheduleCreateCommand(options, io, signal)));
  addConnectionOptions(
    schedule.command('list').description('recurring runs, newest first').option('--experiment <name>', 'only those of this experiment').option('--limit <n>', 'most to show (default 50)', limit).option('--json', 'print one JSON array'),
  ).action(async (options) => setExit(await scheduleListCommand(options, io, signal)));
  for (const change of ['enable', 'disable', 'delete'] as const) {
    const command = schedule.command(change).description(`${change} a recurring run`).argument('<recurring-run-id>', 'recurring run id');
    if (change === 'delete') command.option('--yes', 'confirm: deleting cannot be undone');
    addConnectionOptions(command).action(async (id: string, options) => setExit(await scheduleChangeCommand(id, change, options, io, signal)));
  }
}
