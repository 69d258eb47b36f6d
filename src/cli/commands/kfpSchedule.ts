// `sealed schedule create | list | enable | disable | delete`: KFP recurring runs of a pipeline
// version already on the cluster (kfpRecurringRuns.ts follows recurring_run.proto). The cron
// expression, interval and max concurrency are checked before any request; so are the run
// parameters, against the version's pipeline_spec.
import { PipelineError, UsageError, printable } from '../../core/index.ts';
import {
  changeRecurringRun,
  checkSchedule,
  createRecurringRun,
  formatTime,
  getPipeline,
  listRecurringRuns,
  listVersions,
  parseRuntimeParameters,
  checkCluster,
  specParameters,
  type KfpRecurringRun,
} from '../../pipeline/kfp/index.ts';
import type { CliIo } from '../io.ts';
import type { ListFlags } from './kfpCatalog.ts';
import type { KfpConnectionFlags } from './kfpConnection.ts';
import { withClient } from './kfpRuns.ts';

export interface ScheduleCreateFlags extends KfpConnectionFlags {
  pipeline: string;
  pipelineVersion?: string;
  name?: string;
  experiment?: string;
  cron?: string;
  interval?: number;
  maxConcurrency?: number;
  param?: string[];
  disabled?: boolean;
  catchup?: boolean;
  json?: boolean;
}

export function scheduleCreateCommand(flags: ScheduleCreateFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  const maxConcurrency = flags.maxConcurrency ?? 1;
  checkSchedule({ cron: flags.cron, intervalSeconds: flags.interval, maxConcurrency });
  return withClient(flags, io, 'sealed schedule create', async (client) => {
    await checkCluster(client, 'sealed schedule create', signal);
    const pipeline = await getPipeline(client, flags.pipeline, signal);
    const versionId = flags.pipelineVersion ?? (await listVersions(client, pipeline.pipeline_id, 1, signal))[0]?.pipeline_version_id;
    if (versionId === undefined) throw new UsageError('cli.usage', { reason: `pipeline ${pipeline.pipeline_id} has no version to schedule` });
    const version = await client.getPipelineVersion(pipeline.pipeline_id, versionId, signal);
    if (version.pipeline_spec === undefined) throw new UsageError('kfp.versionSpecMissing', { versionId, reason: 'the API answer has none' });
    const spec = specParameters(version.pipeline_spec);
    const parameters = parseRuntimeParameters(spec.name, flags.param ?? [], spec.parameters);
    const experimentName = flags.experiment ?? 'Default';
    const { experiment } = await client.findOrCreateExperiment(experimentName, signal);
    const created = await createRecurringRun(
      client,
      {
        displayName: flags.name ?? `${pipeline.display_name ?? spec.name}-schedule`,
        experimentId: experiment.experiment_id,
        pipelineId: pipeline.pipeline_id,
        pipelineVersionId: versionId,
        parameters,
        cron: flags.cron,
        intervalSeconds: flags.interval,
        maxConcurrency,
        enabled: flags.disabled !== true,
        ...(flags.catchup === false ? { noCatchup: true } : {}),
      },
      signal,
    );
    io.stdout.write(flags.json ? JSON.stringify(created) + '\n' : `recurring run: ${printable(created.recurring_run_id)}\n`);
    return 0;
  });
}

export function scheduleListCommand(flags: ListFlags & { experiment?: string }, io: CliIo, signal: AbortSignal): Promise<number> {
  return withClient(flags, io, 'sealed schedule list', async (client) => {
    let experimentId: string | undefined;
    if (flags.experiment === undefined) await checkCluster(client, 'sealed schedule list', signal);
    else {
      const experiment = await client.findExperiment(flags.experiment, signal);
      if (!experiment) throw new PipelineError('kfp.noExperiment', { name: flags.experiment, namespace: client.namespace });
      experimentId = experiment.experiment_id;
    }
    const items = await listRecurringRuns(client, { experimentId, limit: flags.limit ?? 50 }, signal);
    if (flags.json) io.stdout.write(JSON.stringify(items) + '\n');
    else if (items.length === 0) io.stderr.write('no recurring runs\n');
    else io.stdout.write(items.map(scheduleLine).join('\n') + '\n');
    return 0;
  });
}

export function scheduleChangeCommand(id: string, change: 'enable' | 'disable' | 'delete', flags: KfpConnectionFlags & { yes?: boolean }, io: CliIo, signal: AbortSignal): Promise<number> {
  if (change === 'delete' && flags.yes !== true) throw new UsageError('kfp.needsYes', { what: `deleting recurring run ${printable(id)}` });
  return withClient(flags, io, `sealed schedule ${change}`, async (client) => {
    await changeRecurringRun(client, id, change, signal);
    io.stdout.write(`${change === 'delete' ? 'deleted' : change === 'enable' ? 'enabled' : 'disabled'} recurring run ${printable(id)}\n`);
    return 0;
  });
}

function scheduleLine(r: KfpRecurringRun): string {
  const trigger = r.trigger?.cron_schedule?.cron !== undefined ? `cron '${r.trigger.cron_schedule.cron}'` : r.trigger?.periodic_schedule ? `every ${r.trigger.periodic_schedule.interval_second ?? '?'}s` : '-';
  return [r.recurring_run_id, (r.status ?? r.mode ?? '-').padEnd(8), trigger, `max ${r.max_concurrency ?? '1'}`, formatTime(r.created_at) ?? '-', r.display_name ?? ''].map((c) => printable(String(c))).join('  ');
}
