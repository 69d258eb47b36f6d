// Recurring runs (`sealed schedule`): backend/api/v2beta1/recurring_run.proto. The API server
// refuses max_concurrency outside 1..10 and an interval under 1 second
// (backend/src/apiserver/server/api_converter.go, toModelJob); both are checked here first, with
// the cron expression (cronSchedule.ts). The body follows what the KFP SDK sends
// (sdk/python/kfp/client/client.py, create_recurring_run): a trigger with either
// cron_schedule.cron or periodic_schedule.interval_second, mode ENABLE or DISABLE,
// max_concurrency, no_catchup, the experiment and the pipeline version reference.
import { UsageError } from '../../core/errors.ts';
import { emptySchema, listRecurringRunsSchema, recurringRunSchema, type KfpRecurringRun } from './apiSchemas.ts';
import { checkCron } from './cronSchedule.ts';
import type { KfpClient } from './kfpClient.ts';
import type { RuntimeValue } from './runtimeParameters.ts';

export interface NewRecurringRun {
  displayName: string;
  experimentId: string;
  pipelineId: string;
  pipelineVersionId: string;
  parameters: Record<string, RuntimeValue>;
  /** Exactly one of cron and intervalSeconds. */
  cron?: string;
  intervalSeconds?: number;
  maxConcurrency: number;
  enabled: boolean;
  noCatchup?: boolean;
}

export function checkSchedule(s: Pick<NewRecurringRun, 'cron' | 'intervalSeconds' | 'maxConcurrency'>): void {
  if ((s.cron === undefined) === (s.intervalSeconds === undefined)) throw new UsageError('kfp.badSchedule', { reason: 'give either --cron or --interval' });
  if (s.cron !== undefined) checkCron(s.cron);
  if (s.intervalSeconds !== undefined && !(Number.isSafeInteger(s.intervalSeconds) && s.intervalSeconds >= 1)) {
    throw new UsageError('kfp.badSchedule', { reason: `--interval must be a whole number of seconds, at least 1 (got ${s.intervalSeconds})` });
  }
  if (!(Number.isSafeInteger(s.maxConcurrency) && s.maxConcurrency >= 1 && s.maxConcurrency <= 10)) {
    throw new UsageError('kfp.badSchedule', { reason: `--max-concurrency must be 1 to 10, as the KFP API server requires (got ${s.maxConcurrency})` });
  }
}

export function createRecurringRun(client: KfpClient, r: NewRecurringRun, signal?: AbortSignal): Promise<KfpRecurringRun> {
  checkSchedule(r);
  // int64 fields go as strings, as protojson writes them (it reads numbers too).
  const trigger = r.cron !== undefined ? { cron_schedule: { cron: checkCron(r.cron) } } : { periodic_schedule: { interval_second: String(r.intervalSeconds) } };
  return client.call(
    {
      method: 'POST',
      path: 'recurringruns',
      json: {
        display_name: r.displayName,
        experiment_id: r.experimentId,
        pipeline_version_reference: { pipeline_id: r.pipelineId, pipeline_version_id: r.pipelineVersionId },
        runtime_config: { parameters: r.parameters },
        trigger,
        max_concurrency: String(r.maxConcurrency),
        mode: r.enabled ? 'ENABLE' : 'DISABLE',
        ...(r.noCatchup !== undefined ? { no_catchup: r.noCatchup } : {}),
      },
      schema: recurringRunSchema,
      action: `creating recurring run '${r.displayName}'`,
      rbac: { verb: 'create', resource: 'jobs' },
    },
    signal,
  );
}

export function listRecurringRuns(client: KfpClient, options: { experimentId?: string; limit: number }, signal?: AbortSignal): Promise<KfpRecurringRun[]> {
  return client.collect(
    (pageToken) =>
      client.call(
        {
          method: 'GET',
          path: 'recurringruns',
          query: {
            namespace: options.experimentId === undefined ? client.namespace : undefined,
            experiment_id: options.experimentId,
            page_size: Math.min(options.limit, 100),
            page_token: pageToken,
            sort_by: 'created_at desc',
          },
          schema: listRecurringRunsSchema,
          action: 'listing recurring runs',
          rbac: { verb: 'list', resource: 'jobs' },
        },
        signal,
      ),
    (page) => page.recurringRuns,
    options.limit,
  );
}

/** :enable, :disable, or DELETE of one recurring run. */
export async function changeRecurringRun(client: KfpClient, id: string, change: 'enable' | 'disable' | 'delete', signal?: AbortSignal): Promise<void> {
  const path = `recurringruns/${encodeURIComponent(id)}`;
  await client.call(
    {
      method: change === 'delete' ? 'DELETE' : 'POST',
      path: change === 'delete' ? path : `${path}:${change}`,
      schema: emptySchema,
      action: `${change === 'delete' ? 'deleting' : change === 'enable' ? 'enabling' : 'disabling'} recurring run ${id}`,
      rbac: { verb: change, resource: 'jobs' },
    },
    signal,
  );
}
