// `sealed runs list | get | watch | terminate`: runs on a KFP cluster. Results go to stdout (one
// JSON line with --json), watch progress to stderr.
import { PipelineError, printable } from '../../core/index.ts';
import {
  checkCluster,
  runDetailLines,
  runListLine,
  runTaskNames,
  watchRun,
  type KfpClient,
  type KfpRun,
  type WatchRunResult,
} from '../../pipeline/kfp/index.ts';
import type { CliIo } from '../io.ts';
import { connectKfp, type KfpConnectionFlags } from './kfpConnection.ts';

/** Exit code when Ctrl-C stops watching (128 + SIGINT), as a shell reports it. */
const STOPPED_EXIT = 130;

export interface RunsListFlags extends KfpConnectionFlags {
  experiment?: string;
  limit?: number;
  json?: boolean;
}

export async function runsListCommand(flags: RunsListFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  return withClient(flags, io, 'sealed runs list', async (client) => {
    let experimentId: string | undefined;
    if (flags.experiment === undefined) await checkCluster(client, 'sealed runs list', signal);
    else {
      const experiment = await client.findExperiment(flags.experiment, signal);
      if (!experiment) throw new PipelineError('kfp.noExperiment', { name: flags.experiment, namespace: client.namespace });
      experimentId = experiment.experiment_id;
    }
    const limit = flags.limit ?? 20;
    const runs: KfpRun[] = [];
    let pageToken: string | undefined;
    do {
      const page = await client.listRuns({ experimentId, pageSize: Math.min(limit - runs.length, 100), pageToken }, signal);
      runs.push(...page.runs.slice(0, limit - runs.length));
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined && runs.length < limit);
    if (flags.json) io.stdout.write(JSON.stringify(runs) + '\n');
    else if (runs.length === 0) io.stderr.write('no runs\n');
    else io.stdout.write(runs.map(runListLine).join('\n') + '\n');
    return 0;
  });
}

export async function runsGetCommand(runId: string, flags: KfpConnectionFlags & { json?: boolean }, io: CliIo, signal: AbortSignal): Promise<number> {
  return withClient(flags, io, 'sealed runs get', async (client) => {
    const run = await client.getRun(runId, signal);
    io.stdout.write(flags.json ? JSON.stringify(run) + '\n' : runDetailLines(run, await runTaskNames(client, run, signal)).join('\n') + '\n');
    return 0;
  });
}

export async function runsWatchCommand(runId: string, flags: KfpConnectionFlags & { pollInterval?: number }, io: CliIo, signal: AbortSignal): Promise<number> {
  return withClient(flags, io, 'sealed runs watch', async (client) => {
    const taskNames = await runTaskNames(client, await client.getRun(runId, signal), signal);
    const result = await watchRun(client, runId, { intervalMs: flags.pollInterval, signal, taskNames, report: (line) => io.stderr.write(line + '\n') });
    return watchExitCode(result, runId, io);
  });
}

export async function runsTerminateCommand(runId: string, flags: KfpConnectionFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  return withClient(flags, io, 'sealed runs terminate', async (client) => {
    await client.terminateRun(runId, signal);
    io.stdout.write(`terminating run ${runId}\n`);
    return 0;
  });
}

/** 0 when the run succeeded, 130 when watching was stopped; throws with the run's error otherwise. */
export function watchExitCode(result: WatchRunResult, runId: string, io: CliIo): number {
  if (result.stopped) {
    io.stderr.write(`stopped watching; run ${runId} keeps running (sealed runs terminate ${runId} stops it)\n`);
    return STOPPED_EXIT;
  }
  const state = result.run?.state ?? 'PENDING';
  if (state === 'SUCCEEDED') return 0;
  const reason = printable(result.run?.error?.message?.replace(/\s+/g, ' ').trim() ?? '');
  throw new PipelineError('kfp.runNotSucceeded', { runId, state, reason: reason || undefined });
}

export async function withClient(flags: KfpConnectionFlags, io: CliIo, command: string, use: (client: KfpClient) => Promise<number>): Promise<number> {
  const client = await connectKfp(flags, io, command);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}
