// Follows a KFP run until it ends: polls GET runs/{id}, reports each task whose state changed
// and a progress line whenever the run state or the count of finished tasks changes. A few
// network failures in a row are tolerated (an ingress restarting must not end a long watch).
// Aborting the signal stops watching only; the run keeps going on the cluster.
import { setTimeout as sleep } from 'node:timers/promises';
import { IoError } from '../../core/errors.ts';
import { isTerminalState, type KfpRun, type KfpTaskDetail } from './apiSchemas.ts';
import { progressLine, taskLine } from './formatRun.ts';
import type { KfpClient } from './kfpClient.ts';
import { ownTasks } from './pipelineTasks.ts';

export interface WatchRunOptions {
  /** Time between two polls (default 5 s). */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Receives each progress line. */
  report?: (line: string) => void;
  /** Tasks the pipeline has, when known, so the count is right before every task has started. */
  expectedTasks?: number;
  /** The pipeline's task names (its spec's root DAG); only those task_details are counted. */
  taskNames?: readonly string[];
  /** Failed polls in a row before giving up (default 3). */
  maxConsecutiveFailures?: number;
}

export interface WatchRunResult {
  /** The last state read; undefined when watching stopped before the first answer. */
  run: KfpRun | undefined;
  /** True when the signal stopped the watch before the run ended. */
  stopped: boolean;
}

export async function watchRun(client: Pick<KfpClient, 'getRun'>, runId: string, options: WatchRunOptions = {}): Promise<WatchRunResult> {
  const { signal, report = () => {}, intervalMs = 5000, maxConsecutiveFailures = 3 } = options;
  const taskStates = new Map<string, string>();
  let lastProgress = '';
  let failures = 0;
  let run: KfpRun | undefined;
  while (!signal?.aborted) {
    try {
      run = await client.getRun(runId, signal);
      failures = 0;
    } catch (e) {
      if (signal?.aborted) break;
      if (!retryable(e) || ++failures > maxConsecutiveFailures) throw e;
      report(`reading run ${runId} failed (${(e as Error).message}); retrying`);
      if (!(await pause(intervalMs, signal))) break;
      continue;
    }
    // task_details also lists Argo's driver, DAG and executor nodes (pipelineTasks.ts).
    const tasks = ownTasks(run.run_details?.task_details ?? [], options.taskNames);
    const changed = tasks.filter((task) => taskStates.get(taskKey(task)) !== (task.state ?? 'PENDING'));
    // The server lists tasks by Argo node id, not by time: report in the order things happened.
    for (const task of changed.sort(byEvent)) {
      report(taskLine(task));
      taskStates.set(taskKey(task), task.state ?? 'PENDING');
    }
    const done = tasks.filter((t) => isTerminalState(t.state)).length;
    const line = progressLine(run, done, Math.max(options.expectedTasks ?? 0, tasks.length));
    if (line !== lastProgress) report(line);
    lastProgress = line;
    if (isTerminalState(run.state)) return { run, stopped: false };
    if (!(await pause(intervalMs, signal))) break;
  }
  return { run, stopped: true };
}

function taskKey(task: KfpTaskDetail): string {
  return task.task_id || task.display_name || '';
}

/** By the time of the change (end for a finished task, start otherwise); an end before a start at the same second. */
function byEvent(a: KfpTaskDetail, b: KfpTaskDetail): number {
  const when = (t: KfpTaskDetail): string => (isTerminalState(t.state) ? t.end_time : t.start_time) ?? '';
  const order = when(a).localeCompare(when(b));
  return order !== 0 ? order : Number(isTerminalState(b.state)) - Number(isTerminalState(a.state));
}

/** Network trouble and 5xx answers may pass; refused credentials or a missing run will not. */
function retryable(e: unknown): boolean {
  return e instanceof IoError && e.code !== 'kfp.authRefused' && e.code !== 'kfp.forbidden' && e.code !== 'kfp.tlsUntrusted';
}

/** Waits `ms`; false when the signal ended the wait. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
